/**
 * The rules table: every actor × status × action, against a specification transcribed from
 * `../shared/docs/process.md` (the step or paragraph is named beside each row), not from the code.
 * Each cell is allowed, 403 (wrong role, or the right role on someone else's item) or 409 (wrong
 * state); every refusal carries a reason in zh-CN and English.
 *
 * The cell is asked with the item "ready" for the action (every precondition other than the status
 * and the actor holds: the part signed in before a contact, a draft before sign-off, a second 不满意
 * before a consultation …); those preconditions have their own tests below.
 */
import { describe, expect, it } from 'vitest';
import { suggestionStatuses, type SuggestionStatus } from '../status';
import {
  allowedActions,
  decide,
  ruleActions,
  type ActionInput,
  type ItemFacts,
  type PartFacts,
  type RuleAction,
  type RuleActor,
  urgeAddressee,
} from '.';

const U = '00000000-0000-4000-8000-0000000000a1'; // the assigned unit
const OTHER_UNIT = '00000000-0000-4000-8000-0000000000b2';

type Kind =
  | 'lead'
  | 'cosigner'
  | 'otherDeputy'
  | 'reviewer'
  | 'coordinator'
  | 'supervisor'
  | 'admin'
  | 'unitHandler'
  | 'unitLeader'
  | 'otherUnitHandler';
const kinds: Kind[] = [
  'lead',
  'cosigner',
  'otherDeputy',
  'reviewer',
  'coordinator',
  'supervisor',
  'admin',
  'unitHandler',
  'unitLeader',
  'otherUnitHandler',
];
const actorOf: Record<Kind, RuleActor> = {
  lead: { role: 'deputy', userId: 'u-lead', deputyId: 'd-lead' },
  cosigner: { role: 'deputy', userId: 'u-co', deputyId: 'd-co' },
  otherDeputy: { role: 'deputy', userId: 'u-x', deputyId: 'd-x' },
  reviewer: { role: 'reviewer', userId: 'u-rev' },
  coordinator: { role: 'coordinator', userId: 'u-coord' },
  supervisor: { role: 'supervisor', userId: 'u-sup' },
  admin: { role: 'admin', userId: 'u-admin' },
  unitHandler: { role: 'unit_handler', userId: 'u-h', unitId: U },
  unitLeader: { role: 'unit_leader', userId: 'u-l', unitId: U, principal: true },
  otherUnitHandler: { role: 'unit_handler', userId: 'u-oh', unitId: OTHER_UNIT },
};
const roleOf = (k: Kind) => actorOf[k].role;

const HANDLING: SuggestionStatus[] = ['assigned', 'handling', 'rehandling'];
const UNIT_STAFF: Kind[] = ['unitHandler', 'unitLeader'];

/** process.md, transcribed: who may take each step, and in which statuses of the item. */
const spec: Record<RuleAction, { who: Kind[]; when: SuggestionStatus[]; source: string }> = {
  // Step 1: a draft can be saved and edited until submitted; step 2: returned for revision, the deputy resubmits.
  edit: { who: ['lead'], when: ['draft', 'returned'], source: 'step 1, step 2 退回修改' },
  submit: { who: ['lead'], when: ['draft'], source: 'step 1' },
  resubmit: { who: ['lead'], when: ['returned'], source: 'step 2 (the deputy resubmits; loop)' },
  // Withdrawal in writing ends the process at any time before assignment (a draft is not in the process yet).
  withdraw: { who: ['lead'], when: ['submitted', 'returned', 'accepted'], source: 'step 1 撤回' },
  // Step 2: the reviewer pre-reviews a submitted suggestion.
  review_accept: { who: ['reviewer'], when: ['submitted'], source: 'step 2 立案' },
  review_return: { who: ['reviewer'], when: ['submitted'], source: 'step 2 退回修改' },
  review_reject: { who: ['reviewer'], when: ['submitted'], source: 'step 2 不予立案' },
  review_convert: { who: ['reviewer'], when: ['submitted'], source: 'step 2 转来信处理' },
  review_merge: { who: ['reviewer'], when: ['submitted'], source: 'step 2 并案' },
  // Step 3: the reviewer (+ coordinator for government matters) assigns an accepted item.
  assign: { who: ['reviewer', 'coordinator'], when: ['accepted'], source: 'step 3 交办' },
  // Steps 4 and 6: "the reviewer decides" re-assignment, "reviewer approves" extensions, while the units handle.
  decide_request: { who: ['reviewer'], when: HANDLING, source: 'steps 4, 6' },
  // Urging by a coordinator or supervisor "at any time" after submission up to closure, addressed to whoever
  // holds the running clock (not on returned: with the deputy, on no clock). The reviewer urges too: a
  // deliberate difference (the 代表工委 chases units in practice).
  urge: {
    who: ['reviewer', 'coordinator', 'supervisor'],
    when: ['submitted', 'accepted', ...HANDLING, 'replied'],
    source: 'alongside: 催办 (at any time)',
  },
  // Key supervision: picked for accepted items, before the reply (progress reports while handling).
  key_supervision: {
    who: ['reviewer', 'supervisor'],
    when: ['accepted', ...HANDLING],
    source: 'reviewer row (picks key items); 重点督办',
  },
  // Step 12: confidential (the reviewer) or the deputy objects with reasons, before closure.
  withhold_publication: {
    who: ['reviewer', 'lead'],
    when: ['accepted', ...HANDLING, 'replied'],
    source: 'step 12 答复公开',
  },
  // Points: a suggestion named excellent (优秀建议) by the reviewer or a supervisor (the reviewer picks
  // items; supervisors lead key items), once it is replied or closed.
  mark_excellent: {
    who: ['reviewer', 'supervisor'],
    when: ['replied', 'closed', 'published'],
    source: '履职积分: 优秀建议',
  },
  // Step 9: the lead deputy (co-signers may also rate) rates the reply.
  rate: { who: ['lead', 'cosigner'], when: ['replied'], source: 'step 9 满意度测评' },
  // Step 10: a second 不满意 leads to a consultation recorded on the item, then closure.
  consultation: { who: ['reviewer', 'coordinator'], when: ['replied'], source: 'step 10 当面协商' },
  // Step 7: the reviewer may send back a reply that does not answer the suggestion (退回重办), before it is rated.
  reply_return: { who: ['reviewer'], when: ['replied'], source: 'step 7 退回重办' },
  // Step 11: for B and C the unit reports progress or a final result (after closure).
  follow_up: { who: UNIT_STAFF, when: ['closed', 'published'], source: 'step 11 跟踪办理' },
  // Key supervision: progress reports monthly while the units handle.
  progress_report: { who: UNIT_STAFF, when: HANDLING, source: '重点督办 progress reports' },
  // Step 12: closed and published by the system.
  close: { who: [], when: [], source: 'step 12 (system)' },
  publish: { who: [], when: [], source: 'step 12 (system)' },
  // Steps 4, 5, 7, 8: the unit's own steps while it handles.
  sign_in: { who: UNIT_STAFF, when: HANDLING, source: 'step 4 签收' },
  contact: { who: UNIT_STAFF, when: HANDLING, source: 'step 5 沟通' },
  draft_reply: { who: UNIT_STAFF, when: HANDLING, source: 'step 7 (case officer drafts)' },
  sign_off: { who: ['unitLeader'], when: HANDLING, source: 'step 7 签发 (unit leader signs)' },
  send_reply: { who: UNIT_STAFF, when: HANDLING, source: 'step 8 答复' },
  opinion: { who: UNIT_STAFF, when: HANDLING, source: 'step 5 (co-handlers send written opinions)' },
  request_reassignment: { who: UNIT_STAFF, when: HANDLING, source: 'step 4 申请调整' },
  request_extension: { who: UNIT_STAFF, when: HANDLING, source: 'step 6 延期 (unit asks)' },
};

/** The part of the assigned unit, ready for the action. */
function readyPart(action: RuleAction): PartFacts {
  const base: PartFacts = {
    unitId: U,
    role: 'lead',
    signedIn: true,
    done: false,
    hasDraft: false,
    signedOff: false,
    contacts: 0,
    pendingRequest: false,
  };
  switch (action) {
    case 'sign_in':
      return { ...base, signedIn: false };
    case 'sign_off':
      return { ...base, hasDraft: true };
    case 'send_reply':
      return { ...base, hasDraft: true, signedOff: true, contacts: 1 };
    case 'opinion':
      return { ...base, role: 'co' };
    default:
      return base;
  }
}

/** The item, ready for the action in this status, as seen by this actor. */
function readyFacts(action: RuleAction, status: SuggestionStatus, kind: Kind): ItemFacts {
  return {
    status,
    isLeadDeputy: kind === 'lead',
    isCosigner: kind === 'cosigner',
    round: action === 'consultation' ? 2 : 1,
    assigned: ![
      'draft',
      'submitted',
      'returned',
      'accepted',
      'rejected',
      'converted',
      'merged',
      'withdrawn',
    ].includes(status),
    keySupervision: action === 'progress_report',
    publicationWithheld: false,
    ratedThisRound: action === 'consultation',
    awaitingConsultation: action === 'consultation',
    replyReturnPending: false,
    handlingUnitIds: [U],
    replyingUnitIds: [U],
    pendingRequest: true,
    followUpUnitIds: [U],
    progressOpen: true,
    progressReportedUnitIds: [],
    part: readyPart(action),
    signOffBy: 'unit_leader',
  };
}
const inputFor = (action: RuleAction): ActionInput =>
  ['follow_up', 'progress_report', 'reply_return'].includes(action) ? { unitId: U } : {};

type Cell = 'ok' | '403 role' | '403 not_yours' | '409';
function expected(action: RuleAction, status: SuggestionStatus, kind: Kind): Cell {
  const { who, when } = spec[action];
  if (!who.includes(kind)) return who.some((k) => roleOf(k) === roleOf(kind)) ? '403 not_yours' : '403 role';
  return when.includes(status) ? 'ok' : '409';
}

describe('the rules table (process.md): every actor × status × action', () => {
  for (const action of ruleActions) {
    it(`${action} (${spec[action].source})`, () => {
      const wrong: string[] = [];
      for (const status of suggestionStatuses)
        for (const kind of kinds) {
          const d = decide(action, actorOf[kind], readyFacts(action, status, kind), inputFor(action));
          const got: Cell = d.ok ? 'ok' : d.status === 409 ? '409' : `403 ${d.code as 'role' | 'not_yours'}`;
          const want = expected(action, status, kind);
          if (got !== want) wrong.push(`${status} × ${kind}: expected ${want}, got ${got}`);
          if (!d.ok && (!d.reason.zh || !d.reason.en))
            wrong.push(`${status} × ${kind}: refusal without a reason`);
          if (!d.ok && d.status === 409 && d.code !== 'state')
            wrong.push(`${status} × ${kind}: 409 not a state refusal`);
        }
      expect(wrong).toEqual([]);
    });
  }
  it('covers every action', () => {
    expect(Object.keys(spec).sort()).toEqual([...ruleActions].sort());
  });
});

describe('urging (催办) is addressed to whoever holds the running clock', () => {
  it('the reviewer in pre-review and assignment, the units while they handle, the deputy while a rating is awaited', () => {
    expect(urgeAddressee('submitted')).toBe('reviewer');
    expect(urgeAddressee('accepted')).toBe('reviewer');
    for (const s of HANDLING) expect(urgeAddressee(s)).toBe('units');
    expect(urgeAddressee('replied')).toBe('deputy');
    expect(urgeAddressee('replied', true)).toBe('reviewer');
    for (const s of ['draft', 'returned', 'closed', 'published', 'withdrawn'] as const)
      expect(urgeAddressee(s)).toBeNull();
  });
});

describe('preconditions beside the status', () => {
  const ready = (a: RuleAction, s: SuggestionStatus, k: Kind, over: Partial<ItemFacts> = {}) => ({
    ...readyFacts(a, s, k),
    ...over,
  });
  const refusal = (a: RuleAction, k: Kind, facts: ItemFacts, input: ActionInput = {}) => {
    const d = decide(a, actorOf[k], facts, input);
    return d.ok ? 'ok' : `${d.status}${d.field ? ` ${d.field}` : ''}`;
  };

  it('keeps the unit steps in their order: sign in, contact, draft, sign off, contact before sending', () => {
    const part = (p: Partial<PartFacts>) => ({ ...readyPart('contact'), ...p });
    expect(
      refusal(
        'contact',
        'unitHandler',
        ready('contact', 'handling', 'unitHandler', { part: part({ signedIn: false }) }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'sign_in',
        'unitHandler',
        ready('sign_in', 'assigned', 'unitHandler', { part: part({ signedIn: true }) }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'sign_off',
        'unitLeader',
        ready('sign_off', 'handling', 'unitLeader', { part: part({ hasDraft: false }) }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'send_reply',
        'unitHandler',
        ready('send_reply', 'handling', 'unitHandler', {
          part: part({ hasDraft: true, signedOff: true, contacts: 0 }),
        }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'send_reply',
        'unitHandler',
        ready('send_reply', 'handling', 'unitHandler', {
          part: part({ hasDraft: true, signedOff: false, contacts: 1 }),
        }),
      ),
    ).toBe('409');
    // A co-handler sends an opinion, never a reply, and asks for no extension; a lead sends no opinion.
    expect(
      refusal(
        'draft_reply',
        'unitHandler',
        ready('draft_reply', 'handling', 'unitHandler', { part: part({ role: 'co' }) }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'request_extension',
        'unitHandler',
        ready('request_extension', 'handling', 'unitHandler', { part: part({ role: 'co' }) }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'opinion',
        'unitHandler',
        ready('opinion', 'handling', 'unitHandler', { part: part({ role: 'lead' }) }),
      ),
    ).toBe('409');
    // A part that ended (co-handler closed with the lead's reply, or done) accepts nothing more.
    for (const a of ['sign_in', 'contact', 'opinion'] as const)
      expect(
        refusal(
          a,
          'unitHandler',
          ready(a, 'handling', 'unitHandler', {
            part: { ...readyPart(a), role: 'co', closed: true, done: true },
          }),
        ),
      ).toBe('409');
    expect(
      refusal(
        'request_reassignment',
        'unitHandler',
        ready('request_reassignment', 'handling', 'unitHandler', { part: part({ pendingRequest: true }) }),
      ),
    ).toBe('409');
  });

  it('names the field at fault', () => {
    expect(
      refusal('draft_reply', 'unitHandler', ready('draft_reply', 'handling', 'unitHandler'), {
        category: 'B',
      }),
    ).toBe('409 promisedDate');
    expect(
      refusal('draft_reply', 'unitHandler', ready('draft_reply', 'handling', 'unitHandler'), {
        category: 'C',
      }),
    ).toBe('409 explanation');
    expect(
      refusal('draft_reply', 'unitHandler', ready('draft_reply', 'handling', 'unitHandler'), {
        category: 'C',
        explanation: '财力所限',
      }),
    ).toBe('ok');
    expect(refusal('assign', 'reviewer', ready('assign', 'accepted', 'reviewer'), { unitIds: [] })).toBe(
      '409 unitIds',
    );
    expect(refusal('assign', 'reviewer', ready('assign', 'accepted', 'reviewer'), { unitIds: [U, U] })).toBe(
      '409 unitIds',
    );
    expect(
      refusal('review_merge', 'reviewer', ready('review_merge', 'submitted', 'reviewer'), {
        suggestionId: 'a',
        intoSuggestionId: 'a',
      }),
    ).toBe('409 intoSuggestionId');
    expect(
      refusal('decide_request', 'reviewer', ready('decide_request', 'handling', 'reviewer'), {
        requestKind: 'reassignment',
        approve: true,
      }),
    ).toBe('409 newUnitId');
    expect(
      refusal('decide_request', 'reviewer', ready('decide_request', 'handling', 'reviewer'), {
        requestKind: 'reassignment',
        approve: true,
        newUnitId: U,
        ownUnitId: U,
      }),
    ).toBe('409 newUnitId');
    expect(
      refusal('urge', 'coordinator', ready('urge', 'handling', 'coordinator'), { unitId: OTHER_UNIT }),
    ).toBe('409 unitId');
    expect(refusal('urge', 'coordinator', ready('urge', 'handling', 'coordinator'), { unitId: U })).toBe(
      'ok',
    );
    // Before assignment and while the deputy rates there is no unit to name.
    expect(refusal('urge', 'supervisor', ready('urge', 'submitted', 'supervisor'), { unitId: U })).toBe(
      '409 unitId',
    );
  });

  it('rates once per round, not after a send-back, and asks for a consultation after a second 不满意', () => {
    expect(refusal('rate', 'lead', ready('rate', 'replied', 'lead', { ratedThisRound: true }))).toBe('409');
    expect(refusal('rate', 'lead', ready('rate', 'replied', 'lead', { replyReturnPending: true }))).toBe(
      '409',
    );
    expect(
      refusal('rate', 'cosigner', ready('rate', 'replied', 'cosigner', { cosignerRatedThisRound: true })),
    ).toBe('409');
    expect(
      refusal(
        'reply_return',
        'reviewer',
        ready('reply_return', 'replied', 'reviewer', { ratedThisRound: true }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'consultation',
        'reviewer',
        ready('consultation', 'replied', 'reviewer', { awaitingConsultation: false }),
      ),
    ).toBe('409');
    const waiting = ready('rate', 'replied', 'lead', {
      round: 2,
      ratedThisRound: true,
      awaitingConsultation: true,
    });
    expect(allowedActions(actorOf.reviewer, waiting)).toContain('consultation');
    expect(allowedActions(actorOf.lead, waiting)).not.toContain('rate');
  });

  it('puts an item under key supervision once, withholds publication once, and signs key replies by the principal leader', () => {
    expect(
      refusal(
        'key_supervision',
        'supervisor',
        ready('key_supervision', 'handling', 'supervisor', { keySupervision: true }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'mark_excellent',
        'reviewer',
        ready('mark_excellent', 'published', 'reviewer', { excellent: true }),
      ),
    ).toBe('409');
    expect(
      refusal(
        'withhold_publication',
        'lead',
        ready('withhold_publication', 'handling', 'lead', { publicationWithheld: true }),
      ),
    ).toBe('409');
    const key = ready('sign_off', 'handling', 'unitLeader', { signOffBy: 'principal_leader' });
    expect(refusal('sign_off', 'unitLeader', key)).toBe('ok');
    expect(decide('sign_off', { ...actorOf.unitLeader, principal: false }, key)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('lists the actions of the UI defects of issue 9 as the workflow decides them', () => {
    const facts = (status: SuggestionStatus): ItemFacts => ({
      status,
      assigned: status !== 'accepted',
      handlingUnitIds: [U],
    });
    // urge at any time after submission up to closure (the deputy holds the evaluation clock on replied);
    // key supervision not on replied, but on accepted.
    expect(allowedActions(actorOf.supervisor, facts('replied'))).toContain('urge');
    expect(allowedActions(actorOf.supervisor, facts('closed'))).not.toContain('urge');
    expect(allowedActions(actorOf.supervisor, facts('replied'))).not.toContain('key_supervision');
    expect(allowedActions(actorOf.supervisor, facts('accepted'))).toContain('key_supervision');
    // withdraw: until assignment, not only on submitted.
    for (const s of ['submitted', 'returned', 'accepted'] as const)
      expect(allowedActions(actorOf.lead, { status: s, isLeadDeputy: true })).toContain('withdraw');
    expect(
      allowedActions(actorOf.lead, { status: 'assigned', isLeadDeputy: true, assigned: true }),
    ).not.toContain('withdraw');
  });
});
