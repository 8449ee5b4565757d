import { describe, expect, it } from 'vitest';
import { allowedMessageActions, decideMessage, type MessageFacts } from './intake';

// The rules of a constituent message (process.md "Constituent intake"): who may claim, answer,
// forward, convert and rate, and when.
const wang = { userId: 'u-wang', role: 'deputy', deputyId: 'd-wang' };
const li = { userId: 'u-li', role: 'deputy', deputyId: 'd-li' };
const staff = { userId: 'u-staff', role: 'station_staff' };
const jtj = { userId: 'u-jtj', role: 'unit_handler', unitId: 'jtj' };
const jyj = { userId: 'u-jyj', role: 'unit_handler', unitId: 'jyj' };
const reviewer = { userId: 'u-rev', role: 'reviewer' };
const constituent = { userId: null, role: null };
const facts = (f: Partial<MessageFacts> = {}): MessageFacts => ({
  status: 'pending_claim',
  deputyIds: ['d-wang'],
  staffUserIds: ['u-staff'],
  claimOverdue: false,
  claimerUserId: null,
  unitId: null,
  ...f,
});
const code = (d: ReturnType<typeof decideMessage>) => (d.ok ? 'ok' : `${d.status} ${d.code}`);

describe('decideMessage', () => {
  it('claim: a station deputy within 24 h; staff only after; others never', () => {
    expect(code(decideMessage('claim', wang, facts()))).toBe('ok');
    expect(code(decideMessage('claim', li, facts()))).toBe('403 not_yours');
    expect(code(decideMessage('claim', reviewer, facts()))).toBe('403 role');
    expect(code(decideMessage('claim', staff, facts()))).toBe('409 state');
    expect(code(decideMessage('claim', staff, facts({ claimOverdue: true })))).toBe('ok');
    expect(code(decideMessage('claim', wang, facts({ status: 'claimed', claimerUserId: 'u-wang' })))).toBe(
      '409 state',
    );
  });

  it('answer, forward, convert: the claimer; a forwarded message only the unit answers', () => {
    const claimed = facts({ status: 'claimed', claimerUserId: 'u-wang' });
    expect(allowedMessageActions(wang, claimed)).toEqual(['answer', 'forward', 'convert', 'merge']);
    expect(allowedMessageActions(li, claimed)).toEqual([]);
    const staffClaimed = facts({ status: 'claimed', claimerUserId: 'u-staff', claimOverdue: true });
    expect(allowedMessageActions(staff, staffClaimed)).toEqual(['answer', 'forward', 'merge']);
    const forwarded = facts({ status: 'forwarded', claimerUserId: 'u-wang', unitId: 'jtj' });
    expect(allowedMessageActions(jtj, forwarded)).toEqual(['answer']);
    expect(code(decideMessage('answer', jyj, forwarded))).toBe('403 not_yours');
    expect(code(decideMessage('answer', wang, forwarded))).toBe('403 not_yours');
  });

  it('merge: a station deputy or staff while waiting; the claimer once claimed; never after forward/answer', () => {
    expect(code(decideMessage('merge', wang, facts()))).toBe('ok');
    expect(code(decideMessage('merge', staff, facts()))).toBe('ok');
    expect(code(decideMessage('merge', li, facts()))).toBe('403 not_yours');
    expect(code(decideMessage('merge', jtj, facts()))).toBe('403 role');
    expect(code(decideMessage('merge', reviewer, facts()))).toBe('403 role');
    const claimed = facts({ status: 'claimed', claimerUserId: 'u-wang' });
    expect(code(decideMessage('merge', wang, claimed))).toBe('ok');
    expect(code(decideMessage('merge', staff, claimed))).toBe('403 not_yours');
    expect(code(decideMessage('merge', wang, facts({ status: 'forwarded', claimerUserId: 'u-wang' })))).toBe(
      '409 state',
    );
    expect(code(decideMessage('merge', wang, facts({ status: 'merged' })))).toBe('409 state');
  });

  it('rate: whoever holds the tracking code, once the message is answered', () => {
    expect(code(decideMessage('rate', constituent, facts({ status: 'claimed' })))).toBe('409 state');
    expect(code(decideMessage('rate', constituent, facts({ status: 'answered' })))).toBe('ok');
    expect(code(decideMessage('rate', constituent, facts({ status: 'rated' })))).toBe('409 state');
  });
});
