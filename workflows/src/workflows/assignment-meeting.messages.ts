/** The 交办会 batch workflow's input, answer and progress query (imported by the API: no workflow code). */
import { defineQuery } from '@temporalio/workflow';
import type { Actor } from '@jianyi/domain';
import type { AssignManyResult, WrittenItem } from '../activities/assign-many';
import type { Assignment, PlannedAssignment } from './suggestion.messages';

export interface AssignmentMeetingInput {
  actor: Actor;
  items: { suggestionId: string; assignment: Assignment }[];
  /** A hash of the request, so the API can tell a retry (same body) from a reused key (422). */
  requestHash: string;
}
export interface AssignmentMeetingResult {
  total: number;
  /** Written and their workflows told. */
  assigned: string[];
  /** Refused, each with its reason; nothing of them was written. */
  refused: { suggestionId: string; status: 403 | 404 | 409; zh: string; en: string }[];
  /** Written, but the item's workflow could not be told (it had been ended by hand). */
  untold: string[];
}
/** How far the batch is: written (the transaction committed; null before), how many items' workflows were told. */
export const meetingProgressQuery = defineQuery<{
  total: number;
  written: number | null;
  told: number;
  requestHash: string;
}>('progress');

/** The whole assignment of one written item, as its workflow is told it. */
export function plannedAssignment(
  r: Pick<AssignManyResult, 'plans' | 'unitPolicies'>,
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

/** The input of `tellAssignments`: the batch's written items and their shared plans. */
export interface TellAssignmentsInput {
  batch: Pick<PlannedAssignment, 'batchId' | 'actor' | 'startedAt'>;
  written: WrittenItem[];
  plans: AssignManyResult['plans'];
  unitPolicies: AssignManyResult['unitPolicies'];
}
