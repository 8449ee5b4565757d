import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// One suggestion from draft to published through the API of the running test stack, with a lead
// unit and a co-handler, a 不满意 and re-handling; each step also tried by someone who may not.
let ds: DataSource;
beforeAll(async () => {
  ds = await openDataSource();
});
afterAll(async () => {
  await ds?.destroy();
});

const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');

describe('lifecycle through the API', () => {
  it('draft → accepted → assigned → handled → 不满意 → re-handled → 满意 → published', async () => {
    const login = (u: string) => ApiSession.login(u);
    const [wang, li, reviewer, coordinator, jtj, jtjLeader, jyj, supervisor] = await Promise.all([
      login('wangjianguo'),
      login('lixiuying'),
      login('reviewer'),
      login('coordinator'),
      login('jtj.handler'),
      login('jtj.leader'),
      login('jyj.handler'),
      login('supervisor'),
    ]);
    const { body: created } = await wang.call(
      'POST',
      '/api/suggestions',
      {
        title: '关于治理城区噪声扰民的建议',
        content: '夜间施工和商铺外放音响噪声扰民,建议加强执法,设置噪声监测点。',
      },
      { 'Idempotency-Key': randomUUID() },
    );
    const id: string = created.id;
    const status = async () => (await wang.call('GET', `/api/suggestions/${id}`)).body.status as string;
    await wang.call('POST', `/api/suggestions/${id}/submit`);
    await waitFor('submitted', async () => (await status()) === 'submitted');
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);

    // Units cannot see the item before it is assigned to them.
    expect((await jtj.call('GET', `/api/suggestions/${id}`)).status).toBe(404);
    expect(
      (
        await wang.call('POST', `/api/suggestions/${id}/assign`, {
          mode: 'lead',
          leadUnitId: JTJ,
          coUnitIds: [JYJ],
        })
      ).status,
    ).toBe(403);
    const badUnit = await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: randomUUID(),
      coUnitIds: [],
    });
    expect(badUnit.status).toBe(422);
    expect(badUnit.body.errors[0].field).toBe('leadUnitId');
    expect(
      (
        await coordinator.call('POST', `/api/suggestions/${id}/assign`, {
          mode: 'lead',
          leadUnitId: JTJ,
          coUnitIds: [JYJ],
        })
      ).status,
    ).toBe(200);
    await waitFor('assigned', async () => (await status()) === 'assigned');
    expect((await jtj.call('GET', `/api/suggestions/${id}`)).body.status).toBe('assigned');
    expect((await li.call('GET', `/api/suggestions/${id}`)).status).toBe(404);

    const unitCall = (s: ApiSession, unitId: string, path: string, body?: unknown) =>
      s.call('POST', `/api/suggestions/${id}/units/${unitId}/${path}`, body);
    await waitFor('the lead unit workflow', async () => (await unitCall(jtj, JTJ, 'sign-in')).status === 200);
    expect(
      (await unitCall(jyj, JTJ, 'contacts', { contactedOn: '2026-11-25', form: '电话', summary: 'x' }))
        .status,
    ).toBe(403); // other unit
    const badContact = await unitCall(jtj, JTJ, 'contacts', {
      contactedOn: '25/11/2026',
      form: '写信',
      summary: '',
    });
    expect(badContact.status).toBe(422);
    expect(badContact.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'contactedOn',
      'form',
      'summary',
    ]);
    expect(
      (
        await unitCall(jtj, JTJ, 'contacts', {
          contactedOn: '2026-11-25',
          form: '面商',
          summary: '到代表所在社区实地查看噪声点位',
        })
      ).status,
    ).toBe(200);
    expect(
      (await unitCall(jtj, JTJ, 'reply', { category: 'B', body: '已将噪声监测点建设列入明年计划。' })).status,
    ).toBe(409); // B needs a date
    expect(
      (
        await unitCall(jtj, JTJ, 'reply', {
          category: 'B',
          body: '已将噪声监测点建设列入明年计划。',
          promisedDate: '2027-06-30',
        })
      ).status,
    ).toBe(200);
    expect((await unitCall(jtj, JTJ, 'reply/send')).status).toBe(409); // not signed off
    expect((await unitCall(jtj, JTJ, 'reply/sign-off')).status).toBe(403); // a handler cannot sign
    expect((await unitCall(jtjLeader, JTJ, 'reply/sign-off')).status).toBe(200);
    await waitFor('co-handler workflow', async () => (await unitCall(jyj, JYJ, 'sign-in')).status === 200);
    expect(
      (await unitCall(jyj, JYJ, 'opinion', { body: '建议夜间施工审批时同步告知周边居民。' })).status,
    ).toBe(200);
    expect((await unitCall(jtj, JTJ, 'reply/send')).status).toBe(200);
    await waitFor('replied', async () => (await status()) === 'replied');

    expect((await li.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(404); // not hers
    expect(
      (await supervisor.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status,
    ).toBe(403);
    expect(
      (
        await wang.call('POST', `/api/suggestions/${id}/rate`, {
          rating: 'unsatisfied',
          comment: '监测点太少',
        })
      ).status,
    ).toBe(200);
    await waitFor('rehandling', async () => (await status()) === 'rehandling');

    await waitFor('round 2 workflow', async () => (await unitCall(jtj, JTJ, 'sign-in')).status === 200);
    await unitCall(jtj, JTJ, 'contacts', {
      contactedOn: '2026-11-27',
      form: '座谈',
      summary: '召开座谈会听取代表和居民意见',
    });
    await unitCall(jtj, JTJ, 'reply', {
      category: 'A',
      body: '已在城区新增噪声监测点 12 处并开展夜间专项执法。',
    });
    await unitCall(jtjLeader, JTJ, 'reply/sign-off');
    expect((await unitCall(jtj, JTJ, 'reply/send')).status).toBe(200);
    await waitFor('replied again', async () => (await status()) === 'replied');
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      200,
    );
    await waitFor('published', async () => (await status()) === 'published', 30_000);

    const h = (await supervisor.call('GET', `/api/suggestions/${id}/handling`)).body;
    expect(h.assignments.map((a: any) => [a.unitName, a.role, a.round, a.status])).toEqual([
      ['市交通运输局', 'lead', 1, 'replied'],
      ['市教育局', 'co', 1, 'opinion_sent'],
      ['市交通运输局', 'lead', 2, 'replied'],
    ]);
    expect(h.evaluations.map((e: any) => e.rating)).toEqual(['unsatisfied', 'satisfied']);
    expect(h.contacts).toHaveLength(2);
    const actions: { action: string; actor_role: string | null }[] = await ds.query(
      `SELECT action, actor_role FROM audit_log WHERE entity_id = $1 AND action <> 'access.refused' ORDER BY id`,
      [id],
    );
    expect(actions.filter((a) => a.action === 'suggestion.reply_signed').map((a) => a.actor_role)).toEqual([
      'unit_leader',
      'unit_leader',
    ]);
    expect(actions.at(-1)!.action).toBe('suggestion.published');
  });
});
