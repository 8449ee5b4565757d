/**
 * 交办会 (assignment meeting): the reviewer's one action on many items, as one short workflow. One
 * activity checks and writes every item's assignment in one transaction (records, status, outbox event,
 * audit row; a refused item is listed with its reason and nothing of it is written); then each written
 * item's workflow is told (signal `assignmentWritten`) and starts its units' workflows with the clocks
 * planned by the batch. Its id comes from the caller's Idempotency-Key, so a retried request attaches
 * to the same batch and gets the same answer. Workflow code: no I/O.
 */
import { getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AssignManyResult, WrittenItem } from '../activities/assign-many';
import {
  meetingProgressQuery,
  type AssignmentMeetingInput,
  type AssignmentMeetingResult,
} from './assignment-meeting.messages';
import { assignmentWrittenSignal, type PlannedAssignment } from './suggestion.messages';

export * from './assignment-meeting.messages';

const { assignMany } = proxyActivities<Activities>({
  // One transaction for up to a thousand items: longer than a step's, retried whole (it is idempotent).
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const SIGNALS_PER_TASK = 100;

/** The whole assignment of one written item, as its workflow is told it. */
export function plannedAssignment(
  r: AssignManyResult,
  w: WrittenItem,
  batch: Pick<PlannedAssignment, 'batchId' | 'actor' | 'startedAt'>,
): PlannedAssignment {
  return {
    ...batch,
    suggestionId: w.suggestionId,
    eventId: w.eventId,
    assignment: w.assignment,
    units: w.units.map(({ planKey, ...u }) => ({ ...u, plan: r.plans[planKey]! })),
    unitPolicy: r.unitPolicies[w.policyKey]!,
  };
}

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
  // Every written item's workflow is told (a hundred signals per workflow task). An accepted
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
