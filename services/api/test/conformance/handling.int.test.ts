/**
 * Conformance (process.md, steps 4–9: handling, re-assignment, evaluation and re-handling), walked
 * through the API as each role on the running test stack, asserting what the deputy, the reviewer
 * and each unit see afterwards.
 *
 * Paths: re-assignment X → Y, then 不满意 (round 2 goes to Y, the unit that replied); a co-handler
 * that stays silent until the lead replies (its part ends: inbox, page, refused steps).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let ds: DataSource;
let wang: ApiSession;
let reviewer: ApiSession;
let jtj: ApiSession;
let jtjLeader: ApiSession;
let jyj: ApiSession;
let jyjLeader: ApiSession;
beforeAll(async () => {
  ds = await openDataSource();
  [wang, reviewer, jtj, jtjLeader, jyj, jyjLeader] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('reviewer'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('jtj.leader'),
    ApiSession.login('jyj.handler'),
    ApiSession.login('jyj.leader'),
  ]);
});
afterAll(async () => {
  await ds?.destroy();
});

const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');

const status = async (id: string) => (await wang.call('GET', `/api/suggestions/${id}`)).body.status;
const until = (id: string, s: string) => waitFor(s, async () => (await status(id)) === s);
const timeline = async (by: ApiSession, id: string) =>
  (await by.call('GET', `/api/suggestions/${id}/timeline`)).body;

async function accepted() {
  const { body } = await wang.call(
    'POST',
    '/api/suggestions',
    {
      title: `关于优化学校周边交通组织的建议 ${randomUUID().slice(0, 6)}`,
      content: '上下学高峰期学校周边道路拥堵,建议设置临时停车区并错峰放学。',
    },
    { 'Idempotency-Key': randomUUID() },
  );
  await wang.call('POST', `/api/suggestions/${body.id}/submit`);
  await until(body.id, 'submitted');
  await reviewer.call('POST', `/api/suggestions/${body.id}/review`, { decision: 'accept' });
  await until(body.id, 'accepted');
  return body.id as string;
}

/** The unit's steps, from sign-in to the sent reply. */
async function reply(id: string, unitId: string, handler: ApiSession, leader: ApiSession, signIn = true) {
  const step = (path: string, body?: unknown, who = handler) =>
    who.call('POST', `/api/suggestions/${id}/units/${unitId}/${path}`, body);
  if (signIn) await waitFor('sign-in', async () => (await step('sign-in')).status === 200);
  expect(
    (await step('contacts', { contactedOn: '2026-11-20', form: '电话', summary: '电话听取代表意见' })).status,
  ).toBe(200);
  expect(
    (await step('reply', { category: 'A', body: '已在学校周边设置临时停车区并实行错峰放学。' })).status,
  ).toBe(200);
  expect((await step('reply/sign-off', undefined, leader)).status).toBe(200);
  expect((await step('reply/send')).status).toBe(200);
}

describe('re-handling (不满意) goes to the units that replied in round 1', () => {
  it('after an approved re-assignment from JTJ to JYJ, round 2 goes to JYJ, not back to JTJ', async () => {
    const id = await accepted();
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/assign`, { mode: 'separate', unitIds: [JTJ] }))
        .status,
    ).toBe(200);
    const jtjStep = (path: string, body?: unknown, who = jtj) =>
      who.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, body);
    await waitFor('JTJ sign-in', async () => (await jtjStep('sign-in')).status === 200);
    expect((await jtjStep('requests', { kind: 'reassignment', reason: '该事项属市教育局职责' })).status).toBe(
      200,
    );
    const decided = await jtjStep('requests/decision', { approve: true, newUnitId: JYJ }, reviewer);
    expect(decided.status).toBe(200);
    await waitFor('JYJ assigned', async () =>
      (await timeline(reviewer, id)).assignments.some((a: { unitId: string }) => a.unitId === JYJ),
    );
    await reply(id, JYJ, jyj, jyjLeader);
    await until(id, 'replied');
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'unsatisfied' })).status).toBe(
      200,
    );
    await until(id, 'rehandling');
    const tl = await timeline(reviewer, id);
    const round2 = tl.assignments.filter((a: { round: number }) => a.round === 2);
    expect(round2.map((a: { unitId: string }) => a.unitId)).toEqual([JYJ]);
    // JTJ's inbox has no new round for it; JYJ's shows round 2.
    const jtjInbox = (await jtj.call('GET', '/api/unit-inbox')).body.items.find(
      (x: { id: string }) => x.id === id,
    );
    expect(jtjInbox).toMatchObject({ round: 1, assignmentStatus: 'reassigned', deadline: null });
    const jyjInbox = (await jyj.call('GET', '/api/unit-inbox')).body.items.find(
      (x: { id: string }) => x.id === id,
    );
    expect(jyjInbox).toMatchObject({ round: 2 });
    // Only JYJ may act in round 2: JTJ, re-assigned away, no longer sees the item at all (the one
    // visibility rule of issue 10), so its step is refused as not found.
    expect((await jtjStep('sign-in')).status).toBe(404);
    expect((await jtj.call('GET', `/api/suggestions/${id}`)).status).toBe(404);
  });
});

describe('a co-handler part ends with the item', () => {
  it('closes a silent co-handler part when the lead replies: inbox, page and refused steps', async () => {
    const id = await accepted();
    await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: JTJ,
      coUnitIds: [JYJ],
    });
    const coInbox = async () =>
      (await jyj.call('GET', '/api/unit-inbox')).body.items.find((x: { id: string }) => x.id === id);
    await waitFor('co part in the inbox', async () => (await coInbox()) !== undefined);
    expect((await coInbox()).assignmentStatus).toBe('pending');

    await reply(id, JTJ, jtj, jtjLeader);
    await until(id, 'replied');

    // The co-handler's part ended with the lead's reply.
    const inbox = await coInbox();
    expect(inbox.assignmentStatus).toBe('closed');
    expect(inbox.deadline).toBeNull();
    const co = (path: string, body?: unknown) =>
      jyj.call('POST', `/api/suggestions/${id}/units/${JYJ}/${path}`, body);
    const signIn = await co('sign-in');
    expect(signIn.status).toBe(409);
    expect(signIn.body.detail).toMatch(/ended|结束/);
    const opinion = await co('opinion', { body: '建议同步优化学校周边公交线路。' });
    expect(opinion.status).toBe(409);

    // The page: each part's real end; no open deadline for the closed part.
    const tl = await timeline(wang, id);
    const parts = Object.fromEntries(
      tl.assignments.map((a: { unitId: string; status: string; endedAt: string | null }) => [a.unitId, a]),
    );
    expect(parts[JTJ]).toMatchObject({ status: 'replied' });
    expect(parts[JYJ]).toMatchObject({ status: 'closed' });
    expect(parts[JTJ].endedAt).not.toBeNull();
    expect(parts[JYJ].endedAt).not.toBeNull();
    expect(tl.deadlines.filter((d: { unitId: string }) => d.unitId === JYJ)).toEqual([]);

    // After closure nothing more is accepted either, and nothing from the co-handler lands on the timeline.
    await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' });
    await until(id, 'published');
    expect((await co('opinion', { body: '补充意见' })).status).toBe(409);
    const after = await timeline(wang, id);
    expect(
      after.steps.filter(
        (s: { type: string; unitId: string }) => s.unitId === JYJ && s.type !== 'suggestion.deadline',
      ),
    ).toEqual([]);
    expect(after.opinions).toEqual([]);
  });
});
