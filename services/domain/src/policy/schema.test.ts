import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import nationalDefault from '../../../../policies/national-default@2026.1.json';
import { loadPolicyRegistry } from './load-files';
import {
  PolicyValidationError,
  createPolicyRegistry,
  createPolicyRegistryFromSources,
  parsePolicy,
} from './registry';
import { durationSchema, jurisdictionPolicySchema } from './schema';

/** A deep copy of the national default with `edit` applied. */
function variant(edit: (p: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(nationalDefault));
  edit(copy);
  return copy;
}

function issuesOf(data: unknown): string[] {
  try {
    parsePolicy(data, 'variant.json');
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyValidationError);
    expect((e as Error).message).toContain('variant.json');
    return (e as PolicyValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected the policy to be rejected');
}

describe('jurisdictionPolicySchema', () => {
  it('accepts the national default', () => {
    expect(jurisdictionPolicySchema.safeParse(nationalDefault).success).toBe(true);
  });

  it('names the field of each error', () => {
    expect(issuesOf(variant((p) => (p.deadlines.reply.unit = 'weeks')))).toEqual(['deadlines.reply.unit']);
    expect(issuesOf(variant((p) => delete p.deadlines.evaluation))).toEqual(['deadlines.evaluation']);
    expect(issuesOf(variant((p) => (p.deadlines.preReview.amount = 2.5)))).toEqual([
      'deadlines.preReview.amount',
    ]);
    expect(issuesOf(variant((p) => (p.deadlines.reassignmentRequest.amount = -1)))).toEqual([
      'deadlines.reassignmentRequest.amount',
    ]);
    expect(issuesOf(variant((p) => (p.reminders.fractions = [0.75, 0.5])))).toEqual(['reminders.fractions']);
    expect(issuesOf(variant((p) => (p.reminders.fractions = [0.5, 1])))).toEqual(['reminders.fractions[1]']);
    expect(issuesOf(variant((p) => (p.effectiveFrom = '2026-02-30')))).toEqual(['effectiveFrom']);
    expect(issuesOf(variant((p) => (p.signOff.key = 'chair')))).toEqual(['signOff.key']);
    expect(issuesOf(variant((p) => (p.points.accepted = '3')))).toEqual(['points.accepted']);
    expect(issuesOf(variant((p) => (p.reminders.noticeHours = { start: '18:00', end: '09:00' })))).toEqual([
      'reminders.noticeHours.end',
    ]);
  });

  it('rejects unknown keys (typos), naming them', () => {
    const data = variant((p) => (p.deadlines.replyMonths = 3));
    expect(issuesOf(data)).toEqual(['deadlines']);
    expect(() => parsePolicy(data, 'variant.json')).toThrow(/replyMonths/);
  });

  it("allows 'seconds' only in test policies", () => {
    const fast = variant((p) => (p.deadlines.reply = { amount: 10, unit: 'seconds' }));
    expect(issuesOf(fast)).toEqual(['deadlines.reply.unit']);
    expect(() => parsePolicy({ ...(fast as object), testOnly: true })).not.toThrow();
  });

  it('checks that the reply fits within the total handling time', () => {
    expect(issuesOf(variant((p) => (p.deadlines.reply.amount = 7)))).toEqual(['deadlines.reply.amount']);
  });

  it('validates durations on their own', () => {
    expect(durationSchema.safeParse({ amount: 1.5, unit: 'hours' }).success).toBe(true);
    expect(durationSchema.safeParse({ amount: 1.5, unit: 'months' }).success).toBe(false);
    expect(durationSchema.safeParse({ amount: 1, unit: 'weeks' }).success).toBe(false);
  });

  it('returns frozen policies', () => {
    const p = parsePolicy(nationalDefault);
    expect(Object.isFrozen(p.deadlines.reply)).toBe(true);
  });
});

describe('policy registry', () => {
  const cityX = variant((p) => {
    p.id = 'city-x';
    p.deadlines.reply.amount = 2;
  });

  it('gets and lists by id@version', () => {
    const registry = createPolicyRegistry([nationalDefault, cityX]);
    expect(registry.keys()).toEqual(['city-x@2026.1', 'national-default@2026.1']);
    expect(registry.get('city-x@2026.1').deadlines.reply.amount).toBe(2);
    expect(registry.list().map((p) => p.id)).toEqual(['city-x', 'national-default']);
    expect(registry.has('city-x@2026.1')).toBe(true);
    expect(registry.find('city-x@2025.1')).toBeUndefined();
    expect(() => registry.get('city-x@2025.1')).toThrow(
      /unknown policy "city-x@2025.1"; known: city-x@2026.1, national-default@2026.1/,
    );
  });

  it('picks the version in force on a date', () => {
    const v2 = variant((p) => {
      p.version = '2026.2';
      p.effectiveFrom = '2026-07-01';
    });
    const registry = createPolicyRegistry([v2, nationalDefault]);
    expect(registry.effective('national-default', '2026-06-30')?.version).toBe('2026.1');
    expect(registry.effective('national-default', '2026-07-01')?.version).toBe('2026.2');
    expect(registry.effective('national-default', '2025-12-31')).toBeUndefined();
  });

  it('names the offending entry and field', () => {
    const bad = variant((p) => {
      p.id = 'city-x';
      p.deadlines.reply.unit = 'weeks';
    });
    expect(() => createPolicyRegistry([nationalDefault, bad])).toThrow(
      /policies\[1\] \(city-x@2026\.1\)[\s\S]*deadlines\.reply\.unit/,
    );
    expect(() => createPolicyRegistryFromSources([{ source: 'city-x@2026.1.json', data: bad }])).toThrow(
      /invalid policy city-x@2026\.1\.json:\n {2}- deadlines\.reply\.unit: /,
    );
  });

  it('rejects duplicate keys', () => {
    expect(() => createPolicyRegistry([nationalDefault, nationalDefault])).toThrow(
      /duplicate policy national-default@2026\.1/,
    );
  });

  it('loads a folder and checks file names (load-files, not for workflows)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'policies-'));
    writeFileSync(path.join(dir, 'national-default@2026.1.json'), JSON.stringify(nationalDefault));
    expect(loadPolicyRegistry(dir).keys()).toEqual(['national-default@2026.1']);
    writeFileSync(path.join(dir, 'wrong-name.json'), JSON.stringify(cityX));
    expect(() => loadPolicyRegistry(dir)).toThrow(
      /wrong-name\.json[\s\S]*file name must be city-x@2026\.1\.json/,
    );
    writeFileSync(path.join(dir, 'wrong-name.json'), '{ not json');
    expect(() => loadPolicyRegistry(dir)).toThrow(/wrong-name\.json/);
  });
});
