import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, SuggestionStatus } from '@jianyi/domain';

export interface SuggestionWorkflowInput {
  version: 1;
  suggestionId: string;
  leadDeputyId: string;
  policyVersion: string;
  submittedBy: Actor;
}

export interface SuggestionState {
  suggestionId: string;
  status: SuggestionStatus;
  registrationNo: string | null;
  reviewRounds: number;
}

/** Pre-review decision of the reviewer (代表工委). */
export type ReviewDecision =
  | { decision: 'accept' }
  | { decision: 'return'; comments: string }
  | { decision: 'reject'; reason: string }
  | { decision: 'convert' };

export const stateQuery = defineQuery<SuggestionState>('state');
export const reviewUpdate = defineUpdate<SuggestionState, [Actor, ReviewDecision]>('review');
export const resubmitUpdate = defineUpdate<SuggestionState, [Actor]>('resubmit');
export const withdrawUpdate = defineUpdate<SuggestionState, [Actor]>('withdraw');
