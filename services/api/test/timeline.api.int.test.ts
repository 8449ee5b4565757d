import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// GET /api/suggestions/:id/timeline on the running test stack: a draft edited with co-signers,
// submitted, accepted, assigned to a lead unit and a co-handler, signed in, a contact logged and a
// reply drafted; the timeline shows each step in order with who acted, the records, and the unit
// deadlines in working days; visibility is that of GET /api/suggestions/:id.
const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');
let wang: ApiSession,
  li: ApiSession,
  zhang: ApiSession,
  reviewer: ApiSession,
  jtj: ApiSession,
  jyj: ApiSession;
beforeAll(async () => {
  [wang, li, zhang, reviewer, jtj, jyj] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('lixiuying'),
    ApiSession.login('zhangzhiqiang'),
    ApiSession.login('reviewer'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('jyj.handler'),
  ]);
});

describe('timeline', () => {
  it('lists every step in order with actors, records and working-day deadlines, to those who may see the item', async () => {
    const created = await wang.call(
      'POST',
      '/api/suggestions',
      {
        title: '关于增设公交候车亭的建议',
        content: '城郊公交站点多无候车亭,雨天候车困难,建议增设。',
        cosignerDeputyIds: [demoId('deputy:zhang')],
      },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const tl = (s: ApiSession) => s.call('GET', `/api/suggestions/${id}/timeline`);

    // The draft is edited: new title, co-signer changed from 张 to 李.
    const edited = await wang.call('PATCH', `/api/suggestions/${id}`, {
      title: '关于增设城郊公交候车亭的建议',
      content: '城郊公交站点多无候车亭,雨天候车困难,建议分批增设并配座椅。',
      cosignerDeputyIds: [demoId('deputy:li')],
    });
    expect(edited.status).toBe(200);
    expect(
      (await li.call('PATCH', `/api/suggestions/${id}`, { title: 'x', content: '足够长的修改内容文本。' }))
        .status,
    ).toBe(404);
    let t = await tl(wang);
    expect(t.status).toBe(200);
    expect(t.body.suggestion.title).toBe('关于增设城郊公交候车亭的建议');
    expect(t.body.suggestion.cosigners.map((c: { id: string }) => c.id)).toEqual([demoId('deputy:li')]);
    expect(t.body.steps).toEqual([]);

    await wang.call('POST', `/api/suggestions/${id}/submit`);
    await waitFor(
      'submitted',
      async () => (await wang.call('GET', `/api/suggestions/${id}`)).body.status === 'submitted',
    );
    expect(
      (
        await wang.call('PATCH', `/api/suggestions/${id}`, {
          title: '再改',
          content: '提交后不能再修改的内容。',
        })
      ).status,
    ).toBe(409);
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    expect(
      (
        await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
          mode: 'lead',
          leadUnitId: JTJ,
          coUnitIds: [JYJ],
        })
      ).status,
    ).toBe(200);
    const unit = (s: ApiSession, u: string, path: string, body?: unknown) =>
      s.call('POST', `/api/suggestions/${id}/units/${u}/${path}`, body);
    await waitFor('lead unit signs in', async () => (await unit(jtj, JTJ, 'sign-in')).status === 200);
    expect(
      (
        await unit(jtj, JTJ, 'contacts', {
          contactedOn: '2026-11-26',
          form: '电话',
          summary: '电话听取代表对站点位置的意见',
        })
      ).status,
    ).toBe(200);
    expect(
      (await unit(jtj, JTJ, 'reply', { category: 'A', body: '已在城郊 8 个站点增设候车亭,年底前完工。' }))
        .status,
    ).toBe(200);

    t = await waitFor('the reply step in the timeline', async () => {
      const r = await tl(jtj);
      return (r.body.steps as { type: string }[]).some((x) => x.type === 'suggestion.reply_drafted')
        ? r
        : null;
    });
    const types = (t.body.steps as { type: string }[]).map((x) => x.type);
    for (const step of [
      'suggestion.submitted',
      'suggestion.accepted',
      'suggestion.assigned',
      'suggestion.signed_in',
      'suggestion.contact_logged',
      'suggestion.reply_drafted',
    ]) {
      expect(types, step).toContain(step);
    }
    expect(types.indexOf('suggestion.submitted')).toBeLessThan(types.indexOf('suggestion.accepted'));
    expect(types.indexOf('suggestion.accepted')).toBeLessThan(types.indexOf('suggestion.assigned'));
    expect(types.indexOf('suggestion.signed_in')).toBeLessThan(types.indexOf('suggestion.reply_drafted'));
    const seqs = (t.body.steps as { seq: number }[]).map((x) => x.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const accepted = t.body.steps.find((x: { type: string }) => x.type === 'suggestion.accepted');
    expect(accepted.actor.role).toBe('reviewer');
    expect(accepted.actor.name).toBeTruthy();
    expect(accepted.details.registrationNo).toMatch(/第\d{4}号/);
    expect(accepted.details.audience).toBeUndefined();
    const signedIn = t.body.steps.find((x: { type: string }) => x.type === 'suggestion.signed_in');
    expect(signedIn.unitName).toBe('市交通运输局');

    expect(t.body.contacts).toHaveLength(1);
    expect(t.body.contacts[0]).toMatchObject({ unitId: JTJ, form: '电话', contactedOn: '2026-11-26' });
    expect(t.body.replies).toHaveLength(1);
    expect(t.body.replies[0]).toMatchObject({ unitId: JTJ, category: 'A', sentAt: null, signedAt: null });
    // Two open unit clocks (lead reply, co-handler opinion), each counted in working days.
    const unitDeadlines = (
      t.body.deadlines as {
        scope: string;
        unitId: string;
        workingDaysLeft: number;
        level: string;
        deadlineDate: string;
      }[]
    ).filter((d) => d.scope === 'unit');
    expect(unitDeadlines.map((d) => d.unitId).sort()).toEqual([JTJ, JYJ].sort());
    for (const d of unitDeadlines) {
      expect(Number.isInteger(d.workingDaysLeft)).toBe(true);
      expect(d.workingDaysLeft).toBeGreaterThan(5); // a month or more from today
      expect(d.level).toBe('normal');
      expect(d.deadlineDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }

    // The deputy sees the steps but not the unsent reply draft nor its drafting and sign-off steps (the
    // one visibility rule); others who may not see the item get 404.
    const mine = await tl(wang);
    expect(mine.status).toBe(200);
    expect(mine.body.replies).toEqual([]);
    const drafting = ['suggestion.reply_drafted', 'suggestion.reply_signed'];
    const unitSteps = (t.body.steps as { type: string }[]).map((st) => st.type);
    expect(unitSteps.some((ty) => drafting.includes(ty))).toBe(true);
    expect((mine.body.steps as { type: string }[]).map((st) => st.type)).toEqual(
      unitSteps.filter((ty) => !drafting.includes(ty)),
    );
    expect((await tl(li)).status).toBe(200); // co-signer
    expect((await tl(zhang)).status).toBe(404); // removed from the co-signers before submission
    expect((await tl(jyj)).status).toBe(200); // co-handler
    expect((await wang.call('GET', `/api/suggestions/${randomUUID()}/timeline`)).status).toBe(404);
    expect((await wang.call('GET', '/api/suggestions/not-a-uuid/timeline')).status).toBe(404);
    expect((await new ApiSession().call('GET', `/api/suggestions/${id}/timeline`)).status).toBe(401);
  });
});
