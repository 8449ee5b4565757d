import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEvent, type SuggestionEvent } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { creditsFor, loadPointsRules } from './points';

const rules = loadPointsRules();
const policies = loadPolicyRegistry();
const lead = randomUUID();
const cosigner = randomUUID();
const ev = (
  type: SuggestionEvent['type'],
  data: Record<string, unknown>,
  from: string,
  to: string,
  policyVersion = 'national-default@2026.1',
) =>
  parseEvent({
    id: randomUUID(),
    version: 1,
    type,
    suggestionId: randomUUID(),
    occurredAt: '2026-11-24T02:00:00.000Z',
    actor: { userId: null, role: 'deputy', deputyId: lead },
    policyVersion,
    data: { from, to, audience: { deputyIds: [lead, cosigner], unitIds: [] }, ...data },
  });

describe('points rules (policies/points/rules.json)', () => {
  const national = policies.get('national-default@2026.1').points;
  it("credits the lead deputy and every co-signer for a submission with the policy's number", () => {
    expect(creditsFor(ev('suggestion.submitted', {}, 'draft', 'submitted'), rules, policies)).toEqual(
      [lead, cosigner].map((deputyId) => ({
        deputyId,
        rule: 'submitted',
        points: national.submitted,
        reason: '提交建议',
        once: 'suggestion',
      })),
    );
  });
  it('credits every signer when the suggestion is accepted', () => {
    const c = creditsFor(
      ev('suggestion.accepted', { registrationNo: '2026-第0001号' }, 'submitted', 'accepted'),
      rules,
      policies,
    );
    expect(c.map((x) => [x.deputyId, x.points])).toEqual([
      [lead, national.accepted],
      [cosigner, national.accepted],
    ]);
  });
  it('credits the deputy who gave feedback the same points whatever the rating; 未反馈 earns nothing', () => {
    // process.md: points never depend on being satisfied, which would reward the wrong thing.
    for (const rating of ['satisfied', 'basically_satisfied', 'unsatisfied'])
      expect(
        creditsFor(ev('suggestion.rated', { round: 1, rating }, 'replied', 'closed'), rules, policies).map(
          (c) => [c.deputyId, c.rule, c.points],
        ),
      ).toEqual([[lead, 'feedback_on_time', national.feedbackOnTime]]);
    const byCosigner = ev(
      'suggestion.rated',
      { round: 1, rating: 'unsatisfied', cosigner: true },
      'replied',
      'replied',
    );
    byCosigner.actor.deputyId = cosigner;
    expect(creditsFor(byCosigner, rules, policies).map((c) => [c.deputyId, c.rule])).toEqual([
      [cosigner, 'feedback_on_time'],
    ]);
    expect(
      creditsFor(
        ev('suggestion.rated', { round: 1, rating: 'no_feedback' }, 'replied', 'closed'),
        rules,
        policies,
      ),
    ).toEqual([]);
  });
  it('credits nothing for events without a rule', () => {
    expect(
      creditsFor(ev('suggestion.handling_started', {}, 'assigned', 'handling'), rules, policies),
    ).toEqual([]);
  });
});
