/**
 * Conformance (process.md, 履职积分: "named an excellent suggestion (优秀建议)"; issue 9): the reviewer
 * or a supervisor names a replied or closed item excellent, with the reason; others are refused (403),
 * earlier states and a second mark too (409). Afterwards the item and the public page show it, the
 * timeline has the step, and the points rule credits the lead deputy and the co-signer.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let wang: ApiSession;
let li: ApiSession;
let reviewer: ApiSession;
let supervisor: ApiSession;
let coordinator: ApiSession;
let jtj: ApiSession;
let jtjLeader: ApiSession;
const JTJ = demoId('unit:JTJ');
beforeAll(async () => {
  [wang, li, reviewer, supervisor, coordinator, jtj, jtjLeader] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('lixiuying'),
    ApiSession.login('reviewer'),
    ApiSession.login('supervisor'),
    ApiSession.login('coordinator'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('jtj.leader'),
  ]);
});
const status = async (id: string) => (await wang.call('GET', `/api/suggestions/${id}`)).body.status;
const until = (id: string, s: string) => waitFor(s, async () => (await status(id)) === s);
const points = async (by: ApiSession, id: string) =>
  ((await by.call('GET', '/api/points/me')).body.entries as { suggestionId: string; rule: string }[]).filter(
    (e: { suggestionId?: string; rule?: string }) => e.suggestionId === id && e.rule === 'excellent',
  );

describe('优秀建议 (excellent suggestion)', () => {
  it('is named by the reviewer or a supervisor on a replied or closed item, shown everywhere, and earns the signers points', async () => {
    const { body } = await wang.call(
      'POST',
      '/api/suggestions',
      {
        title: `关于推广社区食堂经验的建议 ${randomUUID().slice(0, 6)}`,
        content: '社区食堂试点效果良好,建议在全市推广。',
        cosignerDeputyIds: [demoId('deputy:li')],
      },
      { 'Idempotency-Key': randomUUID() },
    );
    const id = body.id as string;
    await wang.call('POST', `/api/suggestions/${id}/submit`);
    await until(id, 'submitted');
    const mark = (by: ApiSession, reason = '办理成效显著,经验可推广') =>
      by.call('POST', `/api/suggestions/${id}/excellent`, { reason });
    expect((await mark(reviewer)).status).toBe(409); // not replied yet
    await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
    await until(id, 'accepted');
    await reviewer.call('POST', `/api/suggestions/${id}/assign`, { mode: 'separate', unitIds: [JTJ] });
    const step = (path: string, b?: unknown, who = jtj) =>
      who.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, b);
    await waitFor('sign-in', async () => (await step('sign-in')).status === 200);
    await step('contacts', { contactedOn: '2026-11-20', form: '面商', summary: '当面沟通' });
    await step('reply', { category: 'A', body: '已在全市推广社区食堂。' });
    await step('reply/sign-off', undefined, jtjLeader);
    await step('reply/send');
    await until(id, 'replied');
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      200,
    );
    await waitFor('published', async () => (await status(id)) === 'published');

    // Who may: the reviewer and supervisors; the coordinator, the unit and the deputy may not.
    for (const who of [coordinator, jtj, wang]) expect((await mark(who)).status).toBe(403);
    expect((await reviewer.call('GET', `/api/suggestions/${id}`)).body.allowedActions).toContain(
      'mark_excellent',
    );
    // Both at once: one is named, the other refused; one event only (the conditional UPDATE decides).
    const both = await Promise.all([mark(supervisor), mark(reviewer, '同时标记')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await mark(reviewer)).status).toBe(409); // once
    expect((await reviewer.call('GET', `/api/suggestions/${id}`)).body.allowedActions).not.toContain(
      'mark_excellent',
    );

    // The deputy sees it on the item, the public sees it on the published reply, the timeline has the step.
    const winner = both[0]!.status === 200 ? '办理成效显著,经验可推广' : '同时标记';
    expect((await wang.call('GET', `/api/suggestions/${id}`)).body).toMatchObject({
      excellent: true,
      excellentReason: winner,
    });
    const publicView = await reviewer.call('GET', `/api/public/replies/${id}`);
    expect(publicView.body).toMatchObject({ excellent: true, excellentReason: winner });
    const tl = await wang.call('GET', `/api/suggestions/${id}/timeline`);
    expect(
      tl.body.steps.filter((s: { type: string }) => s.type === 'suggestion.marked_excellent'),
    ).toHaveLength(1);

    // Points (rules as data): the lead deputy and the co-signer, once each.
    await waitFor('points credited', async () => (await points(wang, id)).length === 1);
    await waitFor('co-signer points', async () => (await points(li, id)).length === 1);
  });
});
