/**
 * Conformance (process.md: withdrawal before assignment, key supervision, urging, evaluation,
 * re-handling and the consultation after a second 不满意): what each role is offered on the item
 * (`allowedActions`, from the rules module) agrees with what the workflow then accepts or refuses,
 * walked through the API on the running test stack. The UI defects of issue 9 were here: urge and
 * key supervision offered on `replied` (the workflow answers 409), key supervision hidden on
 * `accepted` (allowed), withdraw offered only on `submitted`, no sign that a consultation is awaited,
 * and no evaluation deadline for the deputy.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let wang: ApiSession;
let reviewer: ApiSession;
let supervisor: ApiSession;
let coordinator: ApiSession;
let jtj: ApiSession;
let jtjLeader: ApiSession;
beforeAll(async () => {
  [wang, reviewer, supervisor, coordinator, jtj, jtjLeader] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('reviewer'),
    ApiSession.login('supervisor'),
    ApiSession.login('coordinator'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('jtj.leader'),
  ]);
});

const JTJ = demoId('unit:JTJ');
const status = async (id: string) => (await wang.call('GET', `/api/suggestions/${id}`)).body.status;
const until = (id: string, s: string) => waitFor(s, async () => (await status(id)) === s);
const allowed = async (by: ApiSession, id: string): Promise<string[]> => {
  const r = await by.call('GET', `/api/suggestions/${id}`);
  expect(r.status).toBe(200);
  return r.body.allowedActions;
};
const timeline = async (by: ApiSession, id: string) =>
  (await by.call('GET', `/api/suggestions/${id}/timeline`)).body;
/** A user's in-app notice about an event of the item, once the notifier has delivered it. */
const notice = (by: ApiSession, id: string, eventType: string) =>
  waitFor(`${eventType} notice`, async () => {
    const r = await by.call('GET', '/api/notifications?pageSize=100');
    return (r.body.items as { suggestionId: string; eventType: string; body: string }[]).find(
      (n) => n.suggestionId === id && n.eventType === eventType,
    );
  });

async function submitted() {
  const { body } = await wang.call(
    'POST',
    '/api/suggestions',
    {
      title: `关于增设社区老年食堂的建议 ${randomUUID().slice(0, 6)}`,
      content: '老年人就餐不便,建议在各社区增设老年食堂并给予运营补贴。',
    },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(await allowed(wang, body.id)).toEqual(expect.arrayContaining(['edit', 'submit']));
  await wang.call('POST', `/api/suggestions/${body.id}/submit`);
  await until(body.id, 'submitted');
  return body.id as string;
}
async function accepted() {
  const id = await submitted();
  expect((await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status).toBe(
    200,
  );
  await until(id, 'accepted');
  return id;
}
async function replied(id: string) {
  const step = (path: string, body?: unknown, who = jtj) =>
    who.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, body);
  await waitFor('sign-in', async () => (await step('sign-in')).status === 200);
  expect(
    (await step('contacts', { contactedOn: '2026-11-20', form: '电话', summary: '电话沟通' })).status,
  ).toBe(200);
  expect((await step('reply', { category: 'A', body: '已在三个社区试点老年食堂。' })).status).toBe(200);
  expect((await step('reply/sign-off', undefined, jtjLeader)).status).toBe(200);
  expect((await step('reply/send')).status).toBe(200);
}

describe('withdrawal (撤回) until assignment', () => {
  it('is offered to the lead deputy on submitted, returned and accepted, and the workflow accepts it on accepted', async () => {
    const a = await submitted();
    expect(await allowed(wang, a)).toContain('withdraw');
    await reviewer.call('POST', `/api/suggestions/${a}/review`, { decision: 'return', comments: '请补充' });
    await until(a, 'returned');
    expect(await allowed(wang, a)).toEqual(expect.arrayContaining(['withdraw', 'edit', 'resubmit']));

    const b = await accepted();
    expect(await allowed(wang, b)).toContain('withdraw');
    expect(await allowed(reviewer, b)).not.toContain('withdraw');
    expect((await wang.call('POST', `/api/suggestions/${b}/withdraw`)).status).toBe(200);
    await until(b, 'withdrawn');
    expect(await allowed(wang, b)).toEqual([]);
  });
});

describe('key supervision and urging as the workflow takes them', () => {
  it('offers key supervision on accepted (and the workflow accepts it, with the supervising leader), urging at any time from submission to closure, addressed to whoever holds the clock', async () => {
    const id = await accepted();
    expect(await allowed(supervisor, id)).toContain('key_supervision');
    // 催办 at any time (process.md): on accepted the reviewer holds the assignment clock, so the urge is
    // addressed to the reviewer (no unit to name yet); the units hear nothing.
    expect(await allowed(supervisor, id)).toContain('urge');
    expect(await allowed(wang, id)).not.toContain('urge');
    expect(
      (await supervisor.call('POST', `/api/suggestions/${id}/urge`, { note: '请尽快交办', unitId: JTJ }))
        .status,
    ).toBe(409);
    expect(
      (await supervisor.call('POST', `/api/suggestions/${id}/urge`, { note: '请尽快交办' })).status,
    ).toBe(200);
    const toReviewer = await notice(reviewer, id, 'suggestion.urged');
    expect(toReviewer!.body).toContain('请加快审查、交办');
    // The supervising leader is chosen from the directory of supervisors.
    const leaders = (await reviewer.call('GET', '/api/directory/supervisors')).body.items as { id: string }[];
    expect(leaders.length).toBeGreaterThan(0);
    expect(
      (
        await reviewer.call('POST', `/api/suggestions/${id}/key-supervision`, {
          supervisingLeaderId: demoId('unit:JTJ'),
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await reviewer.call('POST', `/api/suggestions/${id}/key-supervision`, {
          supervisingLeaderId: leaders[0]!.id,
        })
      ).status,
    ).toBe(200);
    expect(await allowed(supervisor, id)).not.toContain('key_supervision');

    await reviewer.call('POST', `/api/suggestions/${id}/assign`, { mode: 'separate', unitIds: [JTJ] });
    await waitFor('assigned', async () => ['assigned', 'handling'].includes(await status(id)));
    expect(await allowed(coordinator, id)).toContain('urge');
    expect(
      (await coordinator.call('POST', `/api/suggestions/${id}/urge`, { note: '请加快办理' })).status,
    ).toBe(200);
    const toUnit = await notice(jtj, id, 'suggestion.urged');
    expect(toUnit!.body).toContain('请加快办理');
    expect(await allowed(jtj, id)).toContain('sign_in');

    await replied(id);
    await until(id, 'replied');
    // While the lead deputy's rating is awaited, the urge goes to the deputy (the evaluation clock).
    for (const who of [supervisor, reviewer, coordinator]) {
      const a = await allowed(who, id);
      expect(a).toContain('urge');
      expect(a).not.toContain('key_supervision');
    }
    expect(
      (await supervisor.call('POST', `/api/suggestions/${id}/urge`, { note: '请及时测评' })).status,
    ).toBe(200);
    const toDeputy = await notice(wang, id, 'suggestion.urged');
    expect(toDeputy!.body).toContain('请在测评期限内对答复进行满意度测评');
    const urged = (await timeline(supervisor, id)).steps.filter(
      (e: { type: string }) => e.type === 'suggestion.urged',
    ) as { details: { addressee?: string } }[];
    expect(urged.map((e) => e.details.addressee)).toEqual(['reviewer', 'units', 'deputy']);
    // After closure nothing is urged.
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      200,
    );
    await waitFor('closed', async () => ['closed', 'published'].includes(await status(id)));
    expect(await allowed(supervisor, id)).not.toContain('urge');
    expect((await supervisor.call('POST', `/api/suggestions/${id}/urge`, { note: '催办' })).status).toBe(409);
  });
});

describe('evaluation and the consultation after a second 不满意', () => {
  it('shows the deputy the evaluation deadline, and tells the reviewer a consultation is awaited', async () => {
    const id = await accepted();
    await reviewer.call('POST', `/api/suggestions/${id}/assign`, { mode: 'separate', unitIds: [JTJ] });
    await replied(id);
    await until(id, 'replied');
    // The deputy is told until when the reply can be rated.
    const t1 = await timeline(wang, id);
    expect(t1.evaluationDeadline).toMatchObject({ round: 1, overdue: false });
    expect(t1.suggestion.allowedActions).toContain('rate');
    expect(t1.suggestion.allowedActions).not.toContain('consultation');
    expect(await allowed(reviewer, id)).toContain('reply_return');

    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'unsatisfied' })).status).toBe(
      200,
    );
    await until(id, 'rehandling');
    expect((await timeline(wang, id)).evaluationDeadline).toBeNull();
    // Round 2: the unit's new part is offered for sign-in again.
    await waitFor('round 2 part', async () => (await allowed(jtj, id)).includes('sign_in'));
    await replied(id);
    await until(id, 'replied');
    expect((await timeline(wang, id)).evaluationDeadline).toMatchObject({ round: 2 });
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'unsatisfied' })).status).toBe(
      200,
    );
    await waitFor('second rating', async () => (await timeline(reviewer, id)).evaluations.length === 2);

    // A consultation is awaited: offered to the reviewer and the coordinator, not to the deputy (no more rating).
    expect(await allowed(reviewer, id)).toContain('consultation');
    expect(await allowed(coordinator, id)).toContain('consultation');
    expect(await allowed(wang, id)).not.toContain('rate');
    expect(await allowed(reviewer, id)).not.toContain('reply_return');
    expect(
      (
        await reviewer.call('POST', `/api/suggestions/${id}/consultation`, {
          summary: '与代表当面协商,说明情况。',
        })
      ).status,
    ).toBe(200);
    await waitFor('closed', async () => ['closed', 'published'].includes(await status(id)));
    expect(await allowed(reviewer, id)).not.toContain('consultation');
  });
});
