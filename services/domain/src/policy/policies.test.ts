import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatChinaInstant } from '../calendar/civil';
import { seededWorkCalendar } from '../calendar/seed';
import { policyDeadline } from './deadline';
import { DEFAULT_POLICY_DIR, loadPolicyRegistry } from './load-files';
import { parsePolicy } from './registry';
import { type JurisdictionPolicy, type PolicyDeadlineName, policyKey } from './schema';

const calendar = seededWorkCalendar(2024, 2027);
const china = (policy: JurisdictionPolicy, name: PolicyDeadlineName, from: string): string =>
  formatChinaInstant(policyDeadline(calendar, policy, name, from));

describe('shipped policy files (/policies)', () => {
  const files = readdirSync(DEFAULT_POLICY_DIR).filter((n) => n.endsWith('.json'));

  it('finds the policies folder and the expected files', () => {
    expect(DEFAULT_POLICY_DIR).toBe(path.resolve(__dirname, '../../../../policies'));
    expect(files).toEqual(
      expect.arrayContaining(['national-default@2026.1.json', 'city-x@2026.1.json', 'test-fast@1.json']),
    );
  });

  it.each(files)('%s validates and is named after its id@version', (file) => {
    const policy = parsePolicy(JSON.parse(readFileSync(path.join(DEFAULT_POLICY_DIR, file), 'utf8')), file);
    expect(`${policyKey(policy)}.json`).toBe(file);
  });

  it('loads into a registry', () => {
    const registry = loadPolicyRegistry();
    expect(registry.keys()).toEqual(
      expect.arrayContaining(['national-default@2026.1', 'city-x@2026.1', 'test-fast@1']),
    );
    expect(registry.effective('city-x', '2026-06-01')?.version).toBe('2026.1');
    expect(registry.effective('city-x', '2025-12-31')).toBeUndefined();
  });

  it('national-default carries the numbers of process.md', () => {
    const p = loadPolicyRegistry().get('national-default@2026.1');
    expect(p.deadlines.preReview).toEqual({ amount: 5, unit: 'working_days' });
    expect(p.deadlines.assignmentBetweenSessions).toEqual({ amount: 5, unit: 'working_days' });
    expect(p.deadlines.assignmentAfterSession).toEqual({ amount: 30, unit: 'calendar_days' });
    expect(p.deadlines.reassignmentRequest).toEqual({ amount: 7, unit: 'working_days' });
    expect(p.deadlines.coHandlerOpinion).toEqual({ amount: 1, unit: 'months' });
    expect(p.deadlines.reply).toEqual({ amount: 3, unit: 'months' });
    expect(p.deadlines.maxHandling).toEqual({ amount: 6, unit: 'months' });
    expect(p.deadlines.evaluation).toEqual({ amount: 20, unit: 'working_days' });
    expect(p.deadlines.rehandling).toEqual({ amount: 1, unit: 'months' });
    expect(p.deadlines.constituentClaim).toEqual({ amount: 24, unit: 'hours' });
    expect(p.deadlines.constituentAnswer).toEqual({ amount: 7, unit: 'working_days' });
    expect(p.pauseClockDuringReassignment).toBe(false);
    expect(p.reminders.fractions).toEqual([0.5, 0.75]);
    expect(p.reminders.yellowLast).toEqual({ amount: 5, unit: 'working_days' });
    expect(p.signOff).toEqual({ normal: 'unit_leader', key: 'principal_leader' });
  });

  it('test-fast uses seconds only and is marked test-only', () => {
    const p = loadPolicyRegistry().get('test-fast@1');
    expect(p.testOnly).toBe(true);
    expect(Object.values(p.deadlines).every((d) => d.unit === 'seconds' && d.amount <= 20)).toBe(true);
    expect(china(p, 'reply', '2026-03-16T10:00:00+08:00')).toBe('2026-03-16T10:00:10.000+08:00');
  });
});

describe('the two real policies give different deadlines for the same acceptance date', () => {
  const registry = loadPolicyRegistry();
  const national = registry.get('national-default@2026.1');
  const cityX = registry.get('city-x@2026.1');
  // Accepted Monday 2026-09-21, just before Mid-autumn (09-25..27) and National Day (10-01..07),
  // with make-up working days Sun 09-20 and Sat 10-10.
  const accepted = '2026-09-21T10:00:00+08:00';

  it('both assign within 5 working days: by the end of 2026-09-29', () => {
    expect(china(national, 'assignmentBetweenSessions', accepted)).toBe('2026-09-29T23:59:59.999+08:00');
    expect(china(cityX, 'assignmentBetweenSessions', accepted)).toBe('2026-09-29T23:59:59.999+08:00');
  });

  it('but every later clock differs', () => {
    const assigned = policyDeadline(calendar, national, 'assignmentBetweenSessions', accepted); // assigned at the last moment
    const both = (name: PolicyDeadlineName): [string, string] => [
      china(national, name, assigned),
      china(cityX, name, assigned),
    ];
    // re-assignment request: 7 vs 3 working days (09-30, then 10-08, 10-09, make-up 10-10, …)
    expect(both('reassignmentRequest')).toEqual([
      '2026-10-14T23:59:59.999+08:00',
      '2026-10-09T23:59:59.999+08:00',
    ]);
    // reply: 3 months (12-29) vs 2 months (11-29 is a Sunday -> Monday 11-30)
    expect(both('reply')).toEqual(['2026-12-29T23:59:59.999+08:00', '2026-11-30T23:59:59.999+08:00']);
    // evaluation (counted here from the same instant): 20 vs 15 working days
    expect(both('evaluation')).toEqual(['2026-11-02T23:59:59.999+08:00', '2026-10-26T23:59:59.999+08:00']);
    // re-handling: 1 month vs 15 calendar days
    expect(both('rehandling')).toEqual(['2026-10-29T23:59:59.999+08:00', '2026-10-14T23:59:59.999+08:00']);
    expect(national.pauseClockDuringReassignment).not.toBe(cityX.pauseClockDuringReassignment);
  });
});
