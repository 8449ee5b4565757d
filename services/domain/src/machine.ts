/**
 * The suggestion state machine as a pure function. The workflow, the API and the UI import it,
 * so the rules of which action is allowed in which status are written once.
 */
import type { Role } from './roles';
import { roleSets } from './rules';
import type { SuggestionStatus } from './status';

export type SuggestionAction =
  | { type: 'submit' }
  | { type: 'withdraw' }
  | { type: 'return'; comments: string }
  | { type: 'resubmit' }
  | { type: 'accept'; registrationNo: string }
  | { type: 'reject'; reason: string }
  | { type: 'convert' }
  | { type: 'merge'; intoSuggestionId: string }
  | { type: 'assign' }
  | { type: 'start_handling' }
  | { type: 'complete_replies' }
  /** 退回重办: the reviewer sends a unit's reply back before it is rated; that unit handles again. */
  | { type: 'send_back'; round: number }
  | { type: 'rate'; rating: Rating; round: number }
  | { type: 'record_consultation' }
  | { type: 'publish' };

/** 满意 / 基本满意 / 不满意, or 未反馈 when the evaluation window passed without an answer. */
export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied' | 'no_feedback';
export const ratingLabels: Record<Rating, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  no_feedback: '未反馈',
};

export type ActionType = SuggestionAction['type'];

/** Who may perform each action (before any per-item check such as ownership): the rules' role sets. */
export const actionRoles: Record<ActionType, readonly Role[]> = {
  submit: roleSets.deputies,
  withdraw: roleSets.deputies,
  resubmit: roleSets.deputies,
  return: roleSets.reviewers,
  accept: roleSets.reviewers,
  reject: roleSets.reviewers,
  convert: roleSets.reviewers,
  merge: roleSets.reviewers,
  assign: roleSets.assigners,
  // System steps: taken by the workflow itself, never by a person.
  start_handling: [],
  complete_replies: [],
  send_back: roleSets.reviewers,
  rate: roleSets.deputies,
  record_consultation: roleSets.consultationRecorders,
  publish: [],
};

export type TransitionResult =
  { ok: true; status: SuggestionStatus } | { ok: false; reason: { zh: string; en: string } };

const refuse = (status: SuggestionStatus, action: ActionType): TransitionResult => ({
  ok: false,
  reason: {
    zh: `当前状态「${status}」下不能执行「${action}」`,
    en: `action "${action}" is not allowed in status "${status}"`,
  },
});

export function transition(status: SuggestionStatus, action: SuggestionAction): TransitionResult {
  switch (action.type) {
    case 'submit':
      return status === 'draft' ? { ok: true, status: 'submitted' } : refuse(status, action.type);
    case 'resubmit':
      return status === 'returned' ? { ok: true, status: 'submitted' } : refuse(status, action.type);
    case 'withdraw':
      // Withdrawal ends the process at any time before assignment (process.md step 1).
      return ['draft', 'submitted', 'returned', 'accepted'].includes(status)
        ? { ok: true, status: 'withdrawn' }
        : refuse(status, action.type);
    case 'return':
      return status === 'submitted' ? { ok: true, status: 'returned' } : refuse(status, action.type);
    case 'accept':
      return status === 'submitted' ? { ok: true, status: 'accepted' } : refuse(status, action.type);
    case 'reject':
      return status === 'submitted' ? { ok: true, status: 'rejected' } : refuse(status, action.type);
    case 'convert':
      return status === 'submitted' ? { ok: true, status: 'converted' } : refuse(status, action.type);
    case 'merge':
      return status === 'submitted' ? { ok: true, status: 'merged' } : refuse(status, action.type);
    case 'assign':
      return status === 'accepted' ? { ok: true, status: 'assigned' } : refuse(status, action.type);
    case 'start_handling':
      return status === 'assigned' ? { ok: true, status: 'handling' } : refuse(status, action.type);
    case 'complete_replies':
      return ['assigned', 'handling', 'rehandling'].includes(status)
        ? { ok: true, status: 'replied' }
        : refuse(status, action.type);
    case 'send_back':
      return status === 'replied'
        ? { ok: true, status: action.round > 1 ? 'rehandling' : 'handling' }
        : refuse(status, action.type);
    case 'rate':
      if (status !== 'replied') return refuse(status, action.type);
      // A first 不满意 sends the item back for re-handling; a second one waits for a recorded consultation.
      if (action.rating === 'unsatisfied')
        return { ok: true, status: action.round < 2 ? 'rehandling' : 'replied' };
      return { ok: true, status: 'closed' };
    case 'record_consultation':
      return status === 'replied' ? { ok: true, status: 'closed' } : refuse(status, action.type);
    case 'publish':
      return status === 'closed' ? { ok: true, status: 'published' } : refuse(status, action.type);
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}
