/** The refusals a validator throws (non-retryable: the API maps their type to 403 or 409). Workflow code: no I/O. */
import { ApplicationFailure } from '@temporalio/workflow';

export const forbidden = (zh: string, en: string) =>
  ApplicationFailure.nonRetryable(`${zh} / ${en}`, 'Forbidden');
/** A refusal by the rules of the current state; `field` names the input it is about (the API lists it in errors[]). */
export const wrongState = (zh: string, en: string, field?: string) =>
  field
    ? ApplicationFailure.create({
        message: `${zh} / ${en}`,
        type: 'WrongState',
        nonRetryable: true,
        details: [{ field }],
      })
    : ApplicationFailure.nonRetryable(`${zh} / ${en}`, 'WrongState');
