/**
 * 受理 (accept) in one transaction (issue 13, patch `local-steps`): the registration number, the policy
 * the item keeps and the step with its event are written together by `acceptStep`, a local activity.
 * A local activity can run again (its result is recorded only with its workflow task), so a repeat
 * must write nothing twice and answer what was written; a failed attempt must give its number back.
 * Real PostgreSQL of the test stack; the activity is called directly (the workflow path is walked by
 * review.workflow.int.test.ts and the API tests).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestionEvent } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { createActivities, type AcceptStepInput } from '../src/activities';
import { reviewer } from './support';

let ds: DataSource;
let acts: ReturnType<typeof createActivities>;

beforeAll(async () => {
  ds = await openDataSource();
  acts = createActivities({ ds, policies: loadPolicyRegistry(), calendar: seededWorkCalendar() });
});
afterAll(async () => {
  await ds?.destroy();
});

/** A submitted item, as the workflow's submit step leaves it. */
async function submittedItem(policyVersion = 'test-fast@1'): Promise<string> {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, submitted_at, policy_version)
     VALUES ($1, '关于一次受理写入一个事务的建议', '受理的立案号、政策与步骤在同一事务中写入。', 'submitted', $2, $3, now(), $4)`,
    [id, demoId('deputy:wang'), demoId('user:wangjianguo'), policyVersion],
  );
  return id;
}

/** The accepted event as the workflow builds it: without its registration number. */
const acceptInput = (suggestionId: string, policyVersion = 'test-fast@1'): AcceptStepInput => ({
  suggestionId,
  transition: { from: 'submitted', to: 'accepted' },
  event: {
    id: randomUUID(),
    version: 1,
    type: 'suggestion.accepted',
    suggestionId,
    occurredAt: new Date().toISOString(),
    actor: reviewer,
    policyVersion,
    data: {
      from: 'submitted',
      to: 'accepted',
      audience: { deputyIds: [demoId('deputy:wang')], unitIds: [] },
    },
  } as unknown as SuggestionEvent,
  policyAtAcceptance: true,
});

const written = async (id: string) => {
  const [item] = (await ds.query(
    `SELECT status, registration_no, policy_version FROM suggestions WHERE id = $1`,
    [id],
  )) as { status: string; registration_no: string | null; policy_version: string }[];
  const events = (await ds.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [
    id,
  ])) as { type: string; payload: { data: { registrationNo?: string }; policyVersion: string } }[];
  const audits = (await ds.query(
    `SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'suggestion.accepted'`,
    [id],
  )) as unknown[];
  return { item: item!, events, audits: audits.length };
};
const lastNo = async (): Promise<number> =>
  Number(
    (
      (await ds.query(`SELECT last_no FROM registration_counters WHERE year = $1`, [
        new Date().getFullYear(),
      ])) as { last_no: number }[]
    )[0]?.last_no ?? 0,
  );

describe('acceptStep: 受理 in one transaction', () => {
  it('draws the number, keeps the policy and writes status, event and audit together; a repeat writes nothing twice', async () => {
    const id = await submittedItem();
    const input = acceptInput(id);
    const first = await acts.acceptStep(input);
    expect(first.registrationNo).toMatch(/^\d{4}-第\d{4}号$/);
    expect(first.policyVersion).toBe('test-fast@1'); // a test-only policy is never replaced
    const after = await written(id);
    expect(after.item).toEqual({
      status: 'accepted',
      registration_no: first.registrationNo,
      policy_version: 'test-fast@1',
    });
    expect(after.events.map((e) => e.type)).toEqual(['suggestion.accepted']);
    expect(after.events[0]!.payload.data.registrationNo).toBe(first.registrationNo);
    expect(after.audits).toBe(1);

    // The same attempt again (a local activity whose workflow task was lost): same answer, nothing new.
    const counter = await lastNo();
    const again = await acts.acceptStep(input);
    expect(again).toEqual(first);
    expect(await lastNo()).toBe(counter);
    const twice = await written(id);
    expect(twice.events).toHaveLength(1);
    expect(twice.audits).toBe(1);
  });

  it('a refused attempt writes nothing and gives its number back (no gap in the year)', async () => {
    const id = await submittedItem();
    await ds.query(`UPDATE suggestions SET status = 'withdrawn' WHERE id = $1`, [id]);
    const before = await lastNo();
    const err = await acts.acceptStep(acceptInput(id)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('StaleState');
    expect(await lastNo()).toBe(before);
    const after = await written(id);
    expect(after.item.registration_no).toBeNull();
    expect(after.events).toHaveLength(0);
  });

  it('an item keeps the policy an admin put in force after its submission; the event and the row carry it', async () => {
    const id = await submittedItem('national-default@2026.1');
    const [choice] = (await ds.query(
      `INSERT INTO policy_choices (policy_key) VALUES ('city-x@2026.1') RETURNING id`,
    )) as { id: string }[];
    try {
      const r = await acts.acceptStep(acceptInput(id, 'national-default@2026.1'));
      expect(r.policyVersion).toBe('city-x@2026.1');
      const after = await written(id);
      expect(after.item.policy_version).toBe('city-x@2026.1');
      expect(after.events[0]!.payload.policyVersion).toBe('city-x@2026.1');
    } finally {
      await ds.query(`DELETE FROM policy_choices WHERE id = $1`, [choice!.id]);
    }
  });

  it('a suggestion that does not exist is refused as StaleState (not retried)', async () => {
    const err = await acts.acceptStep(acceptInput(randomUUID())).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as ApplicationFailure).type).toBe('StaleState');
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
  });
});
