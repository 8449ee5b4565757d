/**
 * Conformance (process.md, step 2 pre-review and step 3 assignment), walked through the API as each
 * role on the running test stack, asserting what the deputy, the reviewer and the units see afterwards.
 *
 * Paths: return → revise → resubmit (versions kept); convert, reject, merge and return each need a
 * reason that reaches the item, the timeline and the deputy's notice; the assigner is recorded.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let ds: DataSource;
let wang: ApiSession;
let li: ApiSession;
let zhang: ApiSession;
let reviewer: ApiSession;
let coordinator: ApiSession;
beforeAll(async () => {
  ds = await openDataSource();
  [wang, li, zhang, reviewer, coordinator] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('lixiuying'),
    ApiSession.login('zhangzhiqiang'),
    ApiSession.login('reviewer'),
    ApiSession.login('coordinator'),
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
      title: `关于改善公交站台遮阳设施的建议 ${randomUUID().slice(0, 6)}`,
      content: '部分公交站台没有遮阳棚,夏季候车市民暴晒,建议增设遮阳设施。',
      ...extra,
    },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(status).toBe(201);
  await by.call('POST', `/api/suggestions/${body.id}/submit`);
  await until(by, body.id, 'submitted');
  return body.id as string;
}
const until = (by: ApiSession, id: string, status: string) =>
  waitFor(status, async () => (await by.call('GET', `/api/suggestions/${id}`)).body.status === status);
const timeline = async (by: ApiSession, id: string) =>
  (await by.call('GET', `/api/suggestions/${id}/timeline`)).body;
/** The deputy's in-app notice about an event of the item, once the notifier has delivered it. */
const notice = (by: ApiSession, id: string, eventType: string) =>
  waitFor(`${eventType} notice`, async () => {
    const r = await by.call('GET', '/api/notifications?pageSize=100');
    return (r.body.items as { suggestionId: string; eventType: string; title: string; body: string }[]).find(
      (n) => n.suggestionId === id && n.eventType === eventType,
    );
  });

describe('退回修改: return → revise → resubmit', () => {
  it('lets the lead deputy revise a returned item and resubmit it; every version is kept and shown', async () => {
    const id = await submitted(wang, { cosignerDeputyIds: [demoId('deputy:li')] });
    const ret = await reviewer.call('POST', `/api/suggestions/${id}/review`, {
      decision: 'return',
      comments: '请补充具体站点和现状数据',
    });
    expect(ret.status).toBe(200);
    await until(wang, id, 'returned');
    const n = await notice(wang, id, 'suggestion.returned');
    expect(n!.body).toContain('请补充具体站点和现状数据');

    // Only the lead deputy edits; a co-signer cannot.
    const revised = {
      title: '关于在人民路沿线公交站台增设遮阳棚的建议',
      content: '人民路沿线12个公交站台中有9个没有遮阳棚,夏季候车市民暴晒,建议今年内增设遮阳设施。',
      cosignerDeputyIds: [demoId('deputy:zhang')],
    };
    expect((await li.call('PATCH', `/api/suggestions/${id}`, revised)).status).toBe(403);
    const saved = await wang.call('PATCH', `/api/suggestions/${id}`, revised);
    expect(saved.status).toBe(200);
    expect(saved.body.status).toBe('returned');
    // Bad input names the field.
    const bad = await wang.call('POST', `/api/suggestions/${id}/resubmit`, { title: '', content: '短' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['title', 'content']),
    );

    // Resubmit with a last change in the body.
    const final = { ...revised, content: `${revised.content}并同步设置候车座椅。` };
    const re = await wang.call('POST', `/api/suggestions/${id}/resubmit`, final);
    expect(re.status).toBe(200);
    expect(re.body.status).toBe('submitted');

    // The reviewer sees the new version in the pre-review queue.
    const queue = await reviewer.call('GET', '/api/suggestions?status=submitted&pageSize=100');
    const row = (queue.body.items as { id: string; title: string }[]).find((x) => x.id === id);
    expect(row?.title).toBe(revised.title);
    const item = (await reviewer.call('GET', `/api/suggestions/${id}`)).body;
    expect(item.content).toBe(final.content);

    // Versions: what the reviewer saw at each submission, and what changed.
    const tl = await timeline(wang, id);
    expect(tl.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(tl.versions[0].title).toMatch(/^关于改善公交站台遮阳设施的建议/);
    expect(tl.versions[0].cosignerDeputyIds).toEqual([demoId('deputy:li')]);
    expect(tl.versions[1]).toMatchObject({
      title: revised.title,
      content: final.content,
      cosignerDeputyIds: [demoId('deputy:zhang')],
      changed: ['title', 'content', 'cosigners'],
    });
    // The new co-signer follows the item; the removed one no longer does.
    expect((await zhang.call('GET', `/api/suggestions/${id}`)).status).toBe(200);
    expect((await li.call('GET', `/api/suggestions/${id}`)).status).toBe(404);
    const audit = await ds.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'suggestion.revised'`,
      [id],
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);

    // Once resubmitted, it is no longer editable.
    expect((await wang.call('PATCH', `/api/suggestions/${id}`, revised)).status).toBe(409);
    // Accepting it: the new co-signer hears about it.
    await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
    await until(wang, id, 'accepted');
    await waitFor('accepted event to the revised co-signers', async () => {
      const ev = await ds.query(
        `SELECT payload FROM outbox WHERE aggregate_id = $1 AND type = 'suggestion.accepted'`,
        [id],
      );
      const deputies: string[] = ev[0]?.payload.data.audience.deputyIds ?? [];
      return deputies.includes(demoId('deputy:zhang')) && !deputies.includes(demoId('deputy:li'));
    });
  });

  it('resubmits the text saved with PATCH when the resubmission has no body', async () => {
    const id = await submitted(wang);
    await reviewer.call('POST', `/api/suggestions/${id}/review`, {
      decision: 'return',
      comments: '标题过长',
    });
    await until(wang, id, 'returned');
    await wang.call('PATCH', `/api/suggestions/${id}`, {
      title: '关于公交站台遮阳的建议',
      content: '部分公交站台没有遮阳棚,夏季候车市民暴晒,建议增设遮阳设施。',
    });
    const re = await wang.call('POST', `/api/suggestions/${id}/resubmit`);
    expect(re.status).toBe(200);
    const tl = await timeline(reviewer, id);
    expect(tl.versions.at(-1)).toMatchObject({
      version: 2,
      title: '关于公交站台遮阳的建议',
      changed: ['title'],
    });
    // Resubmitting a submitted item with a body is refused, and nothing is written.
    const again = await wang.call('POST', `/api/suggestions/${id}/resubmit`, {
      title: '再次修改',
      content: '这段内容不应被保存,因为建议已经重新提交。',
    });
    expect(again.status).toBe(409);
    expect((await wang.call('GET', `/api/suggestions/${id}`)).body.title).toBe('关于公交站台遮阳的建议');
  });
});

describe('pre-review outcomes carry their reason', () => {
  for (const [decision, field, status, eventType] of [
    ['convert', 'reason', 'converted', 'suggestion.converted'],
    ['merge', 'reason', 'merged', 'suggestion.merged'],
    ['reject', 'reason', 'rejected', 'suggestion.rejected'],
    ['return', 'comments', 'returned', 'suggestion.returned'],
  ] as const) {
    it(`${decision}: refused without a ${field}; stored, on the timeline and in the deputy's notice`, async () => {
      const id = await submitted(wang);
      const extra = decision === 'merge' ? { intoSuggestionId: await submitted(zhang) } : {};
      const missing = await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision, ...extra });
      expect(missing.status).toBe(422);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      const blank = await reviewer.call('POST', `/api/suggestions/${id}/review`, {
        decision,
        ...extra,
        [field]: '   ',
      });
      expect(blank.status).toBe(422);
      expect((await wang.call('GET', `/api/suggestions/${id}`)).body.status).toBe('submitted');

      const reason = `理由-${decision}-${randomUUID().slice(0, 4)}`;
      const ok = await reviewer.call('POST', `/api/suggestions/${id}/review`, {
        decision,
        ...extra,
        [field]: reason,
      });
      expect(ok.status).toBe(200);
      await until(wang, id, status);
      const tl = await timeline(wang, id);
      const step = tl.steps.find((s: { type: string }) => s.type === eventType);
      expect(step.details[field]).toBe(reason);
      expect(step.actor.role).toBe('reviewer');
      const n = await notice(wang, id, eventType);
      expect(n!.body).toContain(reason);
    });
  }
});

describe('交办: the assigner is recorded', () => {
  it('records the coordinator who assigned on the event, the audit row and the timeline; answers with the assigned item', async () => {
    const id = await submitted(wang);
    await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
    await until(wang, id, 'accepted');
    const r = await coordinator.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: JTJ,
      coUnitIds: [JYJ],
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('assigned');
    const [me] = await ds.query(`SELECT id FROM users WHERE username = 'coordinator'`);
    const tl = await timeline(wang, id);
    const step = tl.steps.find((s: { type: string }) => s.type === 'suggestion.assigned');
    expect(step.actor).toMatchObject({ userId: me.id, role: 'coordinator' });
    expect(step.actor.name).not.toBe('系统');
    const [row] = await ds.query(
      `SELECT actor_user_id, actor_role FROM audit_log WHERE entity_id = $1 AND action = 'suggestion.assigned'`,
      [id],
    );
    expect(row).toMatchObject({ actor_user_id: me.id, actor_role: 'coordinator' });
  });

  it('bulk assignment results say assigned', async () => {
    const ids = [await submitted(wang), await submitted(zhang)];
    for (const id of ids)
      await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
    for (const id of ids) await until(reviewer, id, 'accepted');
    const r = await reviewer.call('POST', '/api/suggestions/bulk-assign', {
      items: ids.map((id) => ({ id, assignment: { mode: 'separate', unitIds: [JTJ] } })),
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['assigned', 'assigned']);
  });
});
