import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// Through the API of the running stack: a reply sent back by the reviewer (退回重办) and answered
// again, a co-signer's rating beside the lead deputy's, a key item's progress report and its
// principal-leader sign-off; each visible on the item's timeline.
const JTJ = demoId('unit:JTJ');

describe('reply review, co-signers and key items through the API', () => {
  it('退回重办 → a new reply → a co-signer and the lead deputy rate → published; the timeline shows each', async () => {
    const login = (u: string) => ApiSession.login(u);
    const [wang, li, zhang, reviewer, jtj, jtjLeader] = await Promise.all([
      login('wangjianguo'),
      login('lixiuying'),
      login('zhangzhiqiang'),
      login('reviewer'),
      login('jtj.handler'),
      login('jtj.leader'),
    ]);
    const { body: created } = await wang.call(
      'POST',
      '/api/suggestions',
      {
        title: '关于增设老旧小区充电设施的建议',
        content: '电动自行车飞线充电隐患大,建议增设集中充电桩。',
        cosignerDeputyIds: [demoId('deputy:li')],
      },
      { 'Idempotency-Key': randomUUID() },
    );
    const id: string = created.id;
    const status = async () => (await wang.call('GET', `/api/suggestions/${id}`)).body.status as string;
    const unitCall = (s: ApiSession, path: string, body?: unknown) =>
      s.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, body);
    await wang.call('POST', `/api/suggestions/${id}/submit`);
    await waitFor('submitted', async () => (await status()) === 'submitted');
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    await waitFor('accepted', async () => (await status()) === 'accepted');
    expect(
      (
        await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
          mode: 'lead',
          leadUnitId: JTJ,
          coUnitIds: [],
        })
      ).status,
    ).toBe(200);
    await waitFor('the unit workflow', async () => (await unitCall(jtj, 'sign-in')).status === 200);
    expect(
      (
        await unitCall(jtj, 'contacts', {
          contactedOn: '2026-11-25',
          form: '电话',
          summary: '电话听取代表意见',
        })
      ).status,
    ).toBe(200);
    expect(
      (await unitCall(jtj, 'reply', { category: 'D', body: '该建议留作参考,今后工作中统筹考虑。' })).status,
    ).toBe(200);
    expect((await unitCall(jtjLeader, 'reply/sign-off')).status).toBe(200);
    expect((await unitCall(jtj, 'reply/send')).status).toBe(200);
    await waitFor('replied', async () => (await status()) === 'replied');

    // Only the reviewer sends back, with a reason (422 names the field); the unit cannot send its own reply back.
    const noReason = await unitCall(reviewer, 'reply/return', { reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].field).toBe('reason');
    expect((await unitCall(jtj, 'reply/return', { reason: '自己退回' })).status).toBe(403);
    expect((await unitCall(wang, 'reply/return', { reason: '不满意' })).status).toBe(403);
    expect(
      (await unitCall(reviewer, 'reply/return', { reason: '答复未回应充电设施建设的具体安排' })).status,
    ).toBe(200);
    expect(await status()).toBe('handling');
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      409,
    );

    // The same unit answers again: a new draft, a new sign-off, sent.
    await waitFor(
      'the reopened unit workflow',
      async () =>
        (
          await unitCall(jtj, 'reply', {
            category: 'B',
            body: '已列入明年民生实事,年底前建成 20 处集中充电点。',
            promisedDate: '2027-12-31',
          })
        ).status === 200,
    );
    expect((await unitCall(jtj, 'reply/send')).status).toBe(409); // needs a new sign-off
    expect((await unitCall(jtjLeader, 'reply/sign-off')).status).toBe(200);
    expect((await unitCall(jtj, 'reply/send')).status).toBe(200);
    await waitFor('replied again', async () => (await status()) === 'replied');

    // The co-signer rates (once); a deputy who is neither lead nor co-signer cannot see the item.
    expect((await zhang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      404,
    );
    await waitFor(
      'evaluation open',
      async () =>
        (
          await li.call('POST', `/api/suggestions/${id}/rate`, {
            rating: 'basically_satisfied',
            comment: '希望加快进度',
          })
        ).status === 200,
    );
    expect((await li.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(409);
    expect(await status()).toBe('replied');
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      200,
    );
    await waitFor('published', async () => (await status()) === 'published');

    const tl = (await wang.call('GET', `/api/suggestions/${id}/timeline`)).body;
    expect(tl.replyReturns).toEqual([
      expect.objectContaining({
        unitName: expect.any(String),
        reason: '答复未回应充电设施建设的具体安排',
        previousCategory: 'D',
        previousBody: null,
      }),
    ]);
    expect(tl.cosignerEvaluations).toEqual([
      expect.objectContaining({
        deputyName: '李秀英',
        rating: 'basically_satisfied',
        comment: '希望加快进度',
      }),
    ]);
    expect(tl.steps.map((x: { type: string }) => x.type)).toContain('suggestion.reply_returned');
    // The reviewer sees what was sent back; the deputy only why.
    const reviewerView = (await reviewer.call('GET', `/api/suggestions/${id}/timeline`)).body;
    expect(reviewerView.replyReturns[0].previousBody).toBe('该建议留作参考,今后工作中统筹考虑。');
  });

  it('a key item: the unit reports progress; only the principal leader signs its reply', async () => {
    const login = (u: string) => ApiSession.login(u);
    const [wang, reviewer, supervisor, jtj, jtjLeader, jtjVice] = await Promise.all([
      login('wangjianguo'),
      login('reviewer'),
      login('supervisor'),
      login('jtj.handler'),
      login('jtj.leader'),
      login('jtj.vice'),
    ]);
    const { body: created } = await wang.call(
      'POST',
      '/api/suggestions',
      { title: '关于治理主干道拥堵的建议', content: '早晚高峰主干道拥堵严重,建议优化信号配时。' },
      { 'Idempotency-Key': randomUUID() },
    );
    const id: string = created.id;
    const status = async () => (await wang.call('GET', `/api/suggestions/${id}`)).body.status as string;
    const unitCall = (s: ApiSession, path: string, body?: unknown) =>
      s.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, body);
    await wang.call('POST', `/api/suggestions/${id}/submit`);
    await waitFor('submitted', async () => (await status()) === 'submitted');
    await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' });
    await waitFor('accepted', async () => (await status()) === 'accepted');
    await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: JTJ,
      coUnitIds: [],
    });
    await waitFor('the unit workflow', async () => (await unitCall(jtj, 'sign-in')).status === 200);
    expect((await unitCall(jtj, 'progress-report', { summary: '尚未列为重点督办' })).status).toBe(409);
    expect(
      (
        await supervisor.call('POST', `/api/suggestions/${id}/key-supervision`, {
          supervisingLeaderId: demoId('user:supervisor'),
        })
      ).status,
    ).toBe(200);
    await waitFor(
      'progress period open',
      async () =>
        (await unitCall(jtj, 'progress-report', { summary: '已完成信号配时方案初稿。' })).status === 200,
    );
    expect((await unitCall(jtj, 'progress-report', { summary: '重复报送' })).status).toBe(409);
    expect(
      (await unitCall(jtj, 'contacts', { contactedOn: '2026-11-25', form: '座谈', summary: '召开座谈会' }))
        .status,
    ).toBe(200);
    expect(
      (await unitCall(jtj, 'reply', { category: 'A', body: '已完成主干道信号配时优化,高峰通行时间缩短。' }))
        .status,
    ).toBe(200);
    const vice = await unitCall(jtjVice, 'reply/sign-off');
    expect(vice.status).toBe(403);
    expect(vice.body.detail ?? vice.body.title).toMatch(/主要负责人|principal/);
    expect((await unitCall(jtjLeader, 'reply/sign-off')).status).toBe(200);
    const tl = (await supervisor.call('GET', `/api/suggestions/${id}/timeline`)).body;
    expect(tl.progressReports).toEqual([
      expect.objectContaining({ period: 1, summary: '已完成信号配时方案初稿。' }),
    ]);
  });
});
