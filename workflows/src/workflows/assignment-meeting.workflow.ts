/**
 * 交办会 (assignment meeting): the reviewer's one action on many items, as one short workflow. One
 * activity checks and writes every item's assignment in one transaction (records, status, outbox event,
 * audit row; a refused item is listed with its reason and nothing of it is written); then each written
 * item's workflow is told (signal `assignmentWritten`) and starts its units' workflows with the clocks
 * planned by the batch. Its id comes from the caller's Idempotency-Key, so a retried request attaches
 * to the same batch and gets the same answer. Workflow code: no I/O.
 */
import {
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  meetingProgressQuery,
  plannedAssignment,
  type AssignmentMeetingInput,
  type AssignmentMeetingResult,
} from './assignment-meeting.messages';
import { assignmentWrittenSignal } from './suggestion.messages';

export * from './assignment-meeting.messages';

const { assignMany } = proxyActivities<Activities>({
  // One transaction for up to a thousand items: longer than a step's, retried whole (it is idempotent).
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// Signals sent by the worker's client, many at a time, with no event in this workflow's history.
const { tellAssignments } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const SIGNALS_PER_TASK = 100;

export async function assignmentMeetingWorkflow(
  input: AssignmentMeetingInput,
): Promise<AssignmentMeetingResult> {
  let written: number | null = null;
  let told = 0;
  setHandler(meetingProgressQuery, () => ({
    total: input.items.length,
    written,
    told,
    requestHash: input.requestHash,
  }));
  const batch = {
    batchId: workflowInfo().workflowId,
    actor: input.actor,
    startedAt: new Date().toISOString(),
  };
  const r = await assignMany({ ...batch, items: input.items });
  written = r.written.length;
  // Every written item's workflow is told by one activity (signals from the worker's client, 32 at a
  // time): measured at 1,000 items, signalling from this workflow took minutes on a loaded machine,
  // since every delivered signal wakes this workflow for a task of its own, queued behind the thousands
  // of tasks the told items and their units make (bench/bulk-assign.bench.ts, README Benchmarks).
  // A retried activity tells again: an item adopts the first assignment it is told and ignores the rest.
  if (patched('tell-by-activity')) {
    const { untold } = await tellAssignments({
      batch,
      written: r.written,
      plans: r.plans,
      unitPolicies: r.unitPolicies,
    });
    told = r.written.length - untold.length;
    const notTold = new Set(untold);
    return {
      total: input.items.length,
      assigned: r.written.map((w) => w.suggestionId).filter((id) => !notTold.has(id)),
      refused: r.refused,
      untold,
    };
  }
  // Executions started before the patch: every written item's workflow is told (a hundred signals per workflow task). An accepted
  // item's workflow is running (it waits for its assignment), so a signal fails only if someone ended
  // it by hand: that item is reported, not hidden.
  // In chunks: a workflow task that issues a thousand signals at once outlasts its timeout on a loaded
  // machine (measured: 1,000 in one task timed out at 10 s, again and again).
  const untold: string[] = [];
  for (let i = 0; i < r.written.length; i += SIGNALS_PER_TASK)
    await Promise.all(
      r.written.slice(i, i + SIGNALS_PER_TASK).map(async (w) => {
        try {
          await getExternalWorkflowHandle(`suggestion-${w.suggestionId}`).signal(
            assignmentWrittenSignal,
            plannedAssignment(r, w, batch),
          );
          told += 1;
        } catch {
          untold.push(w.suggestionId);
        }
      }),
    );
  return {
    total: input.items.length,
    assigned: r.written.map((w) => w.suggestionId).filter((id) => !untold.includes(id)),
    refused: r.refused,
    untold,
  };
}
