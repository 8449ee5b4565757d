/** The activities as the suggestion workflow and its per-unit children call them (timeouts, retries). */
import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

const options: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['StaleState'],
  },
};

/** Activities on the server's task queue: the long ones (交办会), and every one in older executions. */
export const acts = proxyActivities<Activities>(options);

const local = proxyLocalActivities<Activities>(options);

/**
 * The short activities (one step's transaction, a clock's plan, a policy lookup: milliseconds each) as
 * local activities: the worker runs them inside the workflow task that asked, so a human step is one
 * workflow task instead of one per activity plus a server round trip for each (issue 13: accept
 * waited for three activities, 4 workflow tasks and 3 activity tasks in a row). Their result is
 * recorded as a marker when the task completes; an attempt lost with its task runs again, so each is
 * idempotent (a step's event id comes from the workflow; a plan is a pure function of its input).
 * Executions recorded before patch `local-steps` replay with server activities until they reach new
 * work, from which on they use local ones too.
 */
export const quick = (): typeof acts => (patched('local-steps') ? local : acts);
