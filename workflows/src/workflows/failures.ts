/** The refusals a validator throws (non-retryable: the API maps their type to 403 or 409). Workflow code: no I/O. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Decision } from '@jianyi/domain';

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

/** Throws the refusal of a rules decision (@jianyi/domain `decide()`): 403 Forbidden or 409 WrongState. */
export function enforce(d: Decision): void {
  if (d.ok) return;
  if (d.status === 403) throw forbidden(d.reason.zh, d.reason.en);
  throw wrongState(d.reason.zh, d.reason.en, d.field);
}
