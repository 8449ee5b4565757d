import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEvent, type SuggestionEvent } from '@jianyi/domain';
import { recipientPlan } from './recipients';
import { noticeText } from './templates';

const lead = randomUUID();
const cosigner = randomUUID();
const unitA = randomUUID();
const unitB = randomUUID();

function event(
  type: SuggestionEvent['type'],
  data: Record<string, unknown> = {},
  from = 'handling',
  to = 'handling',
): SuggestionEvent {
  return parseEvent({
    id: randomUUID(),
    version: 1,
    type,
    suggestionId: randomUUID(),
    occurredAt: '2026-11-24T02:00:00.000Z',
    actor: { userId: null, role: null, name: '系统' },
    policyVersion: 'national-default@2026.1',
    data: { from, to, audience: { deputyIds: [lead, cosigner], unitIds: [unitA, unitB] }, ...data },
  });
}
const deadline = (level: string, clock = 'reply') =>
  event('suggestion.deadline', {
    clock,
    level,
    fraction: level === 'reminder' ? 0.5 : null,
    unitId: unitA,
    deadlineAt: '2026-12-01T15:59:59.999Z',
  });

describe('recipients per event type', () => {
  it('tells reviewers of a new submission, not the deputy who submitted', () => {
    const p = recipientPlan(event('suggestion.submitted', {}, 'draft', 'submitted'));
    expect(p.roles).toEqual(['reviewer']);
    expect(p.deputyIds).toEqual([]);
  });
  it('tells the deputies (lead and co-signers) of a status change of their item', () => {
    const p = recipientPlan(
      event('suggestion.accepted', { registrationNo: '2026-第0001号' }, 'submitted', 'accepted'),
    );
    expect(p.deputyIds).toEqual([lead, cosigner]);
    expect(p.unitIds).toEqual([]);
  });
  it('tells the assigned units and the deputies of an assignment', () => {
    const p = recipientPlan(
      event(
        'suggestion.assigned',
        { mode: 'lead', leadUnitId: unitA, unitIds: [], coUnitIds: [unitB] },
        'accepted',
        'assigned',
      ),
    );
    expect(p.deputyIds).toEqual([lead, cosigner]);
    expect(p.unitIds.sort()).toEqual([unitA, unitB].sort());
    expect(p.webhookUnitIds.sort()).toEqual([unitA, unitB].sort());
  });
  it('tells only the urged unit of an urge (催办)', () => {
    expect(recipientPlan(event('suggestion.urged', { unitId: unitB, note: '请加快' })).unitIds).toEqual([
      unitB,
    ]);
  });
  it('addresses an urge to whoever holds the running clock: the reviewer, the units or the deputies', () => {
    const toReviewer = recipientPlan(
      event('suggestion.urged', { unitId: null, note: '请尽快交办', addressee: 'reviewer' }),
    );
    expect(toReviewer.roles).toEqual(['reviewer']);
    expect(toReviewer.unitIds).toEqual([]);
    const toDeputy = recipientPlan(
      event('suggestion.urged', { unitId: null, note: '请测评', addressee: 'deputy' }),
    );
    expect(toDeputy.deputyIds.length).toBeGreaterThan(0);
    expect(toDeputy.unitIds).toEqual([]);
    const toUnits = recipientPlan(
      event('suggestion.urged', { unitId: null, note: '请加快', addressee: 'units' }),
    );
    expect(toUnits.unitIds.sort()).toEqual([unitA, unitB].sort());
  });
  it('sends reminders and yellow warnings to the unit only', () => {
    for (const level of ['reminder', 'yellow']) {
      const p = recipientPlan(deadline(level));
      expect(p.unitIds).toEqual([unitA]);
      expect(p.roles).toEqual([]);
      expect(p.escalation).toBe(false);
    }
  });
  it('escalates a red warning (超期) to every supervisor and the unit leader', () => {
    const p = recipientPlan(deadline('red'));
    expect(p.unitIds).toEqual([unitA]);
    expect(p.roles).toEqual(['supervisor']);
    expect(p.unitLeaderUnitIds).toEqual([unitA]);
    expect(p.escalation).toBe(true);
  });
  it('reminds the deputies of their own evaluation clock', () => {
    const p = recipientPlan(
      event(
        'suggestion.deadline',
        {
          clock: 'evaluation',
          level: 'yellow',
          fraction: null,
          unitId: null,
          deadlineAt: '2026-12-01T15:59:59.999Z',
        },
        'replied',
        'replied',
      ),
    );
    expect(p.deputyIds).toEqual([lead, cosigner]);
    expect(p.unitIds).toEqual([]);
  });
  it('sends unit requests to the reviewers', () => {
    expect(
      recipientPlan(
        event('suggestion.extension_requested', {
          unitId: unitA,
          reason: '需协调',
          amount: 1,
          unit: 'months',
        }),
      ).roles,
    ).toEqual(['reviewer']);
    expect(
      recipientPlan(event('suggestion.reassignment_requested', { unitId: unitA, reason: '非本单位职责' }))
        .roles,
    ).toEqual(['reviewer']);
  });
});

describe('Chinese texts', () => {
  const ctx = {
    title: '关于优化公交线路的建议',
    registrationNo: '2026-第0007号',
    unitNames: { [unitA]: '市交通运输局' },
  };
  it('names the item, the unit and the deadline in a red warning', () => {
    const t = noticeText(deadline('red'), ctx);
    expect(t.title).toBe('超期督办:答复已超期');
    expect(t.body).toContain('市交通运输局');
    expect(t.body).toContain('「关于优化公交线路的建议」(2026-第0007号)');
    expect(t.body).toContain('2026-12-01 23:59');
  });
  it('gives the registration number on acceptance and the reason on rejection', () => {
    expect(
      noticeText(event('suggestion.accepted', { registrationNo: '2026-第0007号' }, 'submitted', 'accepted'), {
        title: ctx.title,
      }).body,
    ).toContain('立案号:2026-第0007号');
    expect(
      noticeText(event('suggestion.rejected', { reason: '属于个人诉求' }, 'submitted', 'rejected'), {
        title: ctx.title,
      }).body,
    ).toContain('理由:属于个人诉求');
  });
});
