import { describe, expect, it } from 'vitest';
import { transition, type SuggestionAction } from './machine';
import { suggestionStatuses, type SuggestionStatus } from './status';

const allowed = (s: SuggestionStatus, a: SuggestionAction) => {
  const r = transition(s, a);
  return r.ok ? r.status : null;
};

describe('suggestion state machine', () => {
  it('moves a draft to submitted and nothing else', () => {
    expect(allowed('draft', { type: 'submit' })).toBe('submitted');
    for (const s of suggestionStatuses.filter((x) => x !== 'draft'))
      expect(allowed(s, { type: 'submit' })).toBeNull();
  });

  it('gives every pre-review outcome from submitted only', () => {
    const outcomes: [SuggestionAction, SuggestionStatus][] = [
      [{ type: 'accept', registrationNo: '2026-第0001号' }, 'accepted'],
      [{ type: 'return', comments: '请补充具体措施' }, 'returned'],
      [{ type: 'reject', reason: '属于个人诉求' }, 'rejected'],
      [{ type: 'convert' }, 'converted'],
      [{ type: 'merge', intoSuggestionId: 'x' }, 'merged'],
    ];
    for (const [action, to] of outcomes) {
      expect(allowed('submitted', action)).toBe(to);
      expect(allowed('draft', action)).toBeNull();
      expect(allowed('accepted', action)).toBeNull();
    }
  });

  it('loops return → resubmit any number of times', () => {
    let s: SuggestionStatus = 'submitted';
    for (let round = 0; round < 5; round++) {
      s = allowed(s, { type: 'return', comments: '修改' })!;
      expect(s).toBe('returned');
      s = allowed(s, { type: 'resubmit' })!;
      expect(s).toBe('submitted');
    }
  });

  it('allows withdrawal before assignment only, and explains a refusal in both languages', () => {
    for (const s of ['draft', 'submitted', 'returned', 'accepted'] as const)
      expect(allowed(s, { type: 'withdraw' })).toBe('withdrawn');
    const r = transition('assigned', { type: 'withdraw' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.zh).toContain('不能');
      expect(r.reason.en).toContain('not allowed');
    }
  });
});

describe('after acceptance', () => {
  it('runs assign → handling → replied → closed → published', () => {
    expect(allowed('accepted', { type: 'assign' })).toBe('assigned');
    expect(allowed('assigned', { type: 'start_handling' })).toBe('handling');
    expect(allowed('handling', { type: 'complete_replies' })).toBe('replied');
    expect(allowed('replied', { type: 'rate', rating: 'basically_satisfied', round: 1 })).toBe('closed');
    expect(allowed('closed', { type: 'publish' })).toBe('published');
    expect(allowed('submitted', { type: 'assign' })).toBeNull();
  });
  it('sends a first 不满意 to re-handling and holds a second one for a consultation', () => {
    expect(allowed('replied', { type: 'rate', rating: 'unsatisfied', round: 1 })).toBe('rehandling');
    expect(allowed('rehandling', { type: 'complete_replies' })).toBe('replied');
    expect(allowed('replied', { type: 'rate', rating: 'unsatisfied', round: 2 })).toBe('replied');
    expect(allowed('replied', { type: 'record_consultation' })).toBe('closed');
    expect(allowed('replied', { type: 'rate', rating: 'no_feedback', round: 1 })).toBe('closed');
  });
  it('lets the reviewer send a reply back (退回重办) only while it waits for its rating', () => {
    expect(allowed('replied', { type: 'send_back', round: 1 })).toBe('handling');
    expect(allowed('replied', { type: 'send_back', round: 2 })).toBe('rehandling');
    for (const s of suggestionStatuses.filter((x) => x !== 'replied'))
      expect(allowed(s, { type: 'send_back', round: 1 })).toBeNull();
  });
});
