import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// Co-signers, merge (并案), bulk assignment (交办会), urging and unit requests through the API of the running test stack.
let ds: DataSource;
let wang: ApiSession;
let li: ApiSession;
let zhang: ApiSession;
let reviewer: ApiSession;
beforeAll(async () => {
  ds = await openDataSource();
  [wang, li, zhang, reviewer] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('lixiuying'),
    ApiSession.login('zhangzhiqiang'),
    ApiSession.login('reviewer'),
  ]);
});
afterAll(async () => {
  await ds?.destroy();
});

const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');

async function submitted(by: ApiSession, extra: Record<string, unknown> = {}) {
  const { body, status } = await by.call(
    'POST',
    '/api/suggestions',
    {
      title: `关于完善社区停车管理的建议 ${randomUUID().slice(0, 6)}`,
      content: '老旧小区停车位紧张,建议挖潜增设车位并推行错时共享停车。',
      ...extra,
    },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(status).toBe(201);
  await by.call('POST', `/api/suggestions/${body.id}/submit`);
  await waitFor(
    'submitted',
    async () => (await by.call('GET', `/api/suggestions/${body.id}`)).body.status === 'submitted',
  );
  return body.id as string;
}

describe('co-signers and merge', () => {
  it('lets co-signers (联名) follow a submitted suggestion, and refuses unknown or self co-signers', async () => {
    const bad = await wang.call(
      'POST',
      '/api/suggestions',
      { title: '标题', content: '内容足够长的建议正文。', cosignerDeputyIds: [randomUUID()] },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('cosignerDeputyIds');
    const self = await wang.call(
      'POST',
      '/api/suggestions',
      { title: '标题', content: '内容足够长的建议正文。', cosignerDeputyIds: [demoId('deputy:wang')] },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(self.status).toBe(422);
    const id = await submitted(wang, { cosignerDeputyIds: [demoId('deputy:li')] });
    expect((await li.call('GET', `/api/suggestions/${id}`)).body.status).toBe('submitted');
    expect((await zhang.call('GET', `/api/suggestions/${id}`)).status).toBe(404);
    expect((await li.call('POST', `/api/suggestions/${id}/withdraw`)).status).toBe(403); // only the lead deputy withdraws
  });

  it('merges one suggestion into another; the merged deputy then follows the surviving item', async () => {
    const surviving = await submitted(wang);
    const merged = await submitted(zhang);
    const wrong = await reviewer.call('POST', `/api/suggestions/${merged}/review`, {
      decision: 'merge',
      intoSuggestionId: merged,
      reason: '内容相同',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].field).toBe('intoSuggestionId');
    const r = await reviewer.call('POST', `/api/suggestions/${merged}/review`, {
      decision: 'merge',
      intoSuggestionId: surviving,
      reason: '内容相同',
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('merged');
    expect((await zhang.call('GET', `/api/suggestions/${surviving}`)).body.id).toBe(surviving);
    const [row] = await ds.query(`SELECT merged_into_id FROM suggestions WHERE id = $1`, [merged]);
    expect(row.merged_into_id).toBe(surviving);
    // The surviving workflow now tells the merged deputy about its progress.
    await reviewer.call('POST', `/api/suggestions/${surviving}/review`, { decision: 'accept' });
    await waitFor('accepted event with the follower', async () => {
      const ev = await ds.query(
        `SELECT payload FROM outbox WHERE aggregate_id = $1 AND type = 'suggestion.accepted'`,
        [surviving],
      );
      return ev[0]?.payload.data.audience.deputyIds.includes(demoId('deputy:zhang'));
    });
  });
});

describe('交办会 and supervision', () => {
  it('assigns many items in one call, reporting each one', async () => {
    const ids = await Promise.all([submitted(wang), submitted(wang), submitted(wang)]);
    await Promise.all(
      ids
        .slice(0, 2)
        .map((id) => reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })),
    );
    const r = await reviewer.call('POST', '/api/suggestions/bulk-assign', {
      items: [
        { id: ids[0], assignment: { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] } },
        { id: ids[1], assignment: { mode: 'separate', unitIds: [JTJ, JYJ] } },
        { id: ids[2], assignment: { mode: 'separate', unitIds: [JTJ] } }, // not accepted yet
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.assigned).toBe(2);
    expect(r.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, false]);
    expect(r.body.results[2].problem.status).toBe(409);
    expect(
      (
        await wang.call('POST', '/api/suggestions/bulk-assign', {
          items: [{ id: ids[2], assignment: { mode: 'separate', unitIds: [JTJ] } }],
        })
      ).status,
    ).toBe(403);
    // The assignment is recorded by the workflow right after the update is accepted.
    const counts = async () =>
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM assignments WHERE suggestion_id = ANY($1::uuid[]) GROUP BY suggestion_id`,
          [ids],
        )
      ).map((a: { n: number }) => a.n);
    await waitFor('both items assigned', async () => (await counts()).length === 2);
    expect(await counts()).toEqual([2, 2]);
  });

  it('交办会 as one batch: a retry with the same key answers the same and writes nothing twice; the units see and sign in', async () => {
    const [jtj, jyj] = await Promise.all([ApiSession.login('jtj.handler'), ApiSession.login('jyj.handler')]);
    const [{ id: reviewerId }] = await ds.query(`SELECT id FROM users WHERE username = 'reviewer'`);
    const ids = await Promise.all([submitted(wang), submitted(li), submitted(wang), submitted(wang)]);
    for (const id of ids.slice(0, 3))
      expect(
        (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
      ).toBe(200);
    // The third is withdrawn by its deputy before the meeting: it is refused with its reason, nothing of it written.
    expect((await wang.call('POST', `/api/suggestions/${ids[2]}/withdraw`)).status).toBe(200);
    const key = randomUUID();
    const body = {
      items: ids.map((id) => ({ id, assignment: { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] } })),
    };
    const first = await reviewer.call('POST', '/api/suggestions/bulk-assign', body, {
      'Idempotency-Key': key,
    });
    expect(first.status).toBe(200);
    expect(first.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, false, false]);
    expect(first.body.results[2].problem).toMatchObject({ status: 409, title: '仅可交办已立案的建议' });
    expect(first.body.results[3].problem.status).toBe(409); // still submitted, not accepted
    // Written in the one transaction: the reviewer's list shows them assigned as soon as the call answers.
    for (const id of ids.slice(0, 2))
      expect((await reviewer.call('GET', `/api/suggestions/${id}`)).body.status).toBe('assigned');
    expect((await reviewer.call('GET', `/api/suggestions/${ids[2]}`)).body.status).toBe('withdrawn');

    // A retry (the answer was lost) gets the same answer; nothing is written twice.
    const again = await reviewer.call('POST', '/api/suggestions/bulk-assign', body, {
      'Idempotency-Key': key,
    });
    expect(again.body).toEqual(first.body);
    const events = async (id: string) =>
      (await ds.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])) as {
        type: string;
        payload: { actor: { userId: string }; data: { unitIds: string[] } };
      }[];
    for (const id of ids.slice(0, 2)) {
      const ev = await events(id);
      expect(ev.map((e) => e.type)).toEqual([
        'suggestion.submitted',
        'suggestion.accepted',
        'suggestion.assigned',
      ]);
      expect(ev[2]!.payload.data.unitIds).toEqual([JTJ, JYJ]);
      expect(ev[2]!.payload.actor.userId).toBe(reviewerId);
      const rows = await ds.query(
        `SELECT unit_id, role FROM assignments WHERE suggestion_id = $1 ORDER BY role DESC`,
        [id],
      );
      expect(rows).toEqual([
        { unit_id: JTJ, role: 'lead' },
        { unit_id: JYJ, role: 'co' },
      ]);
    }
    expect((await events(ids[2]!)).map((e) => e.type)).not.toContain('suggestion.assigned');
    // The same key with another body is refused, naming the key.
    const reused = await reviewer.call(
      'POST',
      '/api/suggestions/bulk-assign',
      { items: body.items.slice(0, 1) },
      { 'Idempotency-Key': key },
    );
    expect(reused.status).toBe(422);
    expect(JSON.stringify(reused.body.errors)).toContain('Idempotency-Key');
    // An assigned item cannot be assigned again, in a meeting or alone.
    const twice = await reviewer.call('POST', '/api/suggestions/bulk-assign', {
      items: body.items.slice(0, 1),
    });
    expect(twice.body.results[0]).toMatchObject({ ok: false, problem: { status: 409 } });
    expect(
      (await reviewer.call('POST', `/api/suggestions/${ids[0]}/assign`, { mode: 'separate', unitIds: [JTJ] }))
        .status,
    ).toBe(409);

    // Each unit sees the items in its inbox with the deadline, and handles them: the item's workflow has
    // taken up the batch's assignment and started the units' workflows on the planned clocks.
    for (const [unit, unitId] of [
      [jtj, JTJ],
      [jyj, JYJ],
    ] as const) {
      const inbox = await unit.call('GET', '/api/unit-inbox?pageSize=100');
      for (const id of ids.slice(0, 2)) {
        const mine = inbox.body.items.find((x: { id: string }) => x.id === id);
        expect(mine?.deadline?.deadlineAt).toBeTruthy();
      }
      expect(inbox.body.items.some((x: { id: string }) => x.id === ids[2])).toBe(false);
      await waitFor(
        'unit workflow started',
        async () =>
          (await unit.call('POST', `/api/suggestions/${ids[0]}/units/${unitId}/sign-in`)).status === 200,
      );
    }
    await waitFor(
      'handling started',
      async () => (await wang.call('GET', `/api/suggestions/${ids[0]}`)).body.status === 'handling',
    );
    // The deputy's timeline names the reviewer who assigned.
    const tl = await li.call('GET', `/api/suggestions/${ids[1]}/timeline`);
    const step = tl.body.steps.find((x: { type: string }) => x.type === 'suggestion.assigned');
    expect(step.actor).toMatchObject({ userId: reviewerId, role: 'reviewer' });
  });

  it('lets a unit ask for re-assignment and the reviewer refuse it; a coordinator urges the unit', async () => {
    const [jtj, coordinator] = await Promise.all([
      ApiSession.login('jtj.handler'),
      ApiSession.login('coordinator'),
    ]);
    const id = await submitted(wang);
    await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
    await reviewer.call('POST', `/api/suggestions/${id}/assign`, { mode: 'separate', unitIds: [JTJ] });
    const unit = (path: string, body?: unknown, who = jtj) =>
      who.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, body);
    await waitFor('unit workflow', async () => (await unit('sign-in')).status === 200);
    const badReq = await unit('requests', { kind: 'extension', reason: '' });
    expect(badReq.status).toBe(422);
    expect((await unit('requests', { kind: 'reassignment', reason: '该事项属市住建局职责' })).status).toBe(
      200,
    );
    expect((await unit('requests/decision', { approve: false }, jtj)).status).toBe(403);
    const decided = await unit('requests/decision', { approve: false, note: '属本单位职责' }, reviewer);
    expect(decided.status).toBe(200);
    expect(decided.body.pendingRequest).toBeNull();
    expect((await wang.call('POST', `/api/suggestions/${id}/urge`, { note: '请抓紧' })).status).toBe(403);
    expect(
      (
        await coordinator.call('POST', `/api/suggestions/${id}/urge`, {
          note: '请于本周内与代表沟通',
          unitId: JTJ,
        })
      ).status,
    ).toBe(200);
    const urges = await ds.query(`SELECT note FROM urges WHERE suggestion_id = $1`, [id]);
    expect(urges).toEqual([{ note: '请于本周内与代表沟通' }]);
    const req = await ds.query(`SELECT kind, status FROM unit_requests WHERE suggestion_id = $1`, [id]);
    expect(req).toEqual([{ kind: 'reassignment', status: 'refused' }]);
  });
});
