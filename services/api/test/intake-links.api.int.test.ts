import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';
import { AuthzWorld } from './authz-support';

// 一码通, issue 11 (second part): several constituent messages joined to one suggestion of the deputy
// who claimed them, the constituents told on their tracking pages when that suggestion is answered;
// and duplicate messages merged into the one the deputy or staff keeps. Driven through the API as the
// constituent (no account), the deputy (王建国, 溧城 station), the station's staff and others.
const STATION_CODE = 'CZ3K7M';
let world: AuthzWorld;
let staff: ApiSession, otherStaff: ApiSession;
const anon = new ApiSession();
const addr = () =>
  `198.51.100.${1 + (randomBytes(1)[0]! % 250)}, 10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

const phone = () => `139${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;

async function write(content: string): Promise<{ id: string; code: string }> {
  const r = await anon.call(
    'POST',
    `/api/intake/targets/${STATION_CODE}/messages`,
    { category: 'transport', content, consent: true, name: '张三', phone: phone() },
    { 'X-Forwarded-For': addr() },
  );
  expect(r.status).toBe(201);
  const code = String(r.body.trackingCode);
  const rows: { id: string }[] = await world.ds.query(`SELECT id FROM messages WHERE tracking_code = $1`, [
    code,
  ]);
  const id = rows[0]!.id;
  await waitFor('received', async () => {
    const n: { n: number }[] = await world.ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND type = 'message.received'`,
      [id],
    );
    return n[0]!.n === 1;
  });
  return { id, code };
}
const track = async (code: string) => {
  const r = await anon.call('GET', `/api/intake/track/${code}`);
  expect(r.status).toBe(200);
  return r.body as Record<string, any>;
};

beforeAll(async () => {
  world = await AuthzWorld.open();
  [staff, otherStaff] = await Promise.all([ApiSession.login('lc.staff'), ApiSession.login('tmh.staff')]);
});
afterAll(() => world?.close());

describe('一码通: one suggestion gathers several messages; their constituents are told of its answer', () => {
  it('the deputy links two claimed messages to their draft; once the suggestion is replied, both tracking pages say so', async () => {
    const wang = world.as.leadDeputy;
    const a = await write(`城东菜市场门口早高峰拥堵,希望设置临时停车位 ${world.tag}A`);
    const b = await write(`菜市场周边早上车辆乱停,行人难以通行 ${world.tag}B`);
    for (const m of [a, b]) expect((await wang.call('POST', `/api/messages/${m.id}/claim`)).status).toBe(200);

    world.onDraft = async (draft) => {
      const targets = await wang.call('GET', '/api/messages/link-targets');
      expect(targets.status).toBe(200);
      expect((targets.body.items as { id: string }[]).map((t) => t.id)).toContain(draft.id);
      // Another deputy cannot see the message; a unit user neither; the reviewer is refused by the rule.
      expect(
        (await world.as.otherDeputy.call('POST', `/api/messages/${a.id}/link`, { suggestionId: draft.id }))
          .status,
      ).toBe(404);
      expect(
        (await world.as.reviewer.call('POST', `/api/messages/${a.id}/link`, { suggestionId: draft.id }))
          .status,
      ).toBe(403);
      for (const m of [a, b]) {
        const r = await wang.call('POST', `/api/messages/${m.id}/link`, { suggestionId: draft.id });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          status: 'converted',
          suggestionId: draft.id,
          suggestionAnsweredAt: null,
        });
      }
      const linked = await wang.call('GET', `/api/messages?suggestionId=${draft.id}`);
      expect((linked.body.items as { id: string }[]).map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    };
    // A suggestion that is not the deputy's own (or does not exist) cannot be joined.
    const c = await write(`学校门口缺少红绿灯 ${world.tag}C`);
    expect((await wang.call('POST', `/api/messages/${c.id}/claim`)).status).toBe(200);
    const wrong = await wang.call('POST', `/api/messages/${c.id}/link`, {
      suggestionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(wrong.status).toBe(422);

    const item = await world.replied();
    world.onDraft = null;
    for (const m of [a, b]) {
      const t = await waitFor('told', async () => {
        const v = await track(m.code);
        return v.suggestion?.answered ? v : null;
      });
      expect(t.status).toBe('converted');
      expect(t.suggestion.notice).toContain('已由承办单位答复');
      expect(t.progress).toContain('已由承办单位答复');
      expect(JSON.stringify(t)).not.toMatch(/139\d{8}/);
      expect(JSON.stringify(t)).not.toContain('张三');
    }
    // One event per message on the outbox; the station's staff get the in-app notice to tell them.
    const events: { n: number }[] = await world.ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE type = 'message.suggestion_answered' AND aggregate_id = ANY($1::uuid[])`,
      [[a.id, b.id]],
    );
    expect(events[0]!.n).toBe(2);
    await waitFor('staff notice', async () => {
      const r = await staff.call('GET', '/api/notifications?limit=50');
      return (r.body.items as { title: string }[]).some((n) => n.title === '留言形成的代表建议已答复');
    });
    const view = await wang.call('GET', `/api/messages/${a.id}`);
    expect(view.body.suggestionAnsweredAt).not.toBeNull();
    expect(item.id).toBe(view.body.suggestionId);
  });
});

describe('一码通: merging duplicate messages', () => {
  it('staff merge a waiting message into another; its tracking page says so and follows the kept one', async () => {
    const keep = await write(`溧城大道路灯不亮,夜间行走不安全 ${world.tag}K`);
    const dup = await write(`溧城大道一段路灯坏了好几天 ${world.tag}D`);
    // Staff of another station cannot see it; a unit user neither; an overseer is refused by the rule.
    expect(
      (await otherStaff.call('POST', `/api/messages/${dup.id}/merge`, { intoMessageId: keep.id })).status,
    ).toBe(404);
    expect(
      (await world.as.reviewer.call('POST', `/api/messages/${dup.id}/merge`, { intoMessageId: keep.id }))
        .status,
    ).toBe(403);
    expect(
      (await staff.call('POST', `/api/messages/${dup.id}/merge`, { intoMessageId: dup.id })).status,
    ).toBe(409);
    const r = await staff.call('POST', `/api/messages/${dup.id}/merge`, {
      intoMessageId: keep.id,
      reason: '同一路段路灯',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'merged', mergedIntoId: keep.id, mergeReason: '同一路段路灯' });
    expect(r.body.allowedActions).toEqual([]);
    // Merged twice, or into a merged message: refused.
    expect(
      (await staff.call('POST', `/api/messages/${dup.id}/merge`, { intoMessageId: keep.id })).status,
    ).toBe(409);
    const third = await write(`溧城大道路灯问题 ${world.tag}T`);
    expect(
      (await staff.call('POST', `/api/messages/${third.id}/merge`, { intoMessageId: dup.id })).status,
    ).toBe(422);

    const before = await track(dup.code);
    expect(before).toMatchObject({ status: 'merged', merged: true, trackingCode: dup.code, canRate: false });
    expect(before.progress).toContain('合并办理');
    expect(before.content).toContain(`${world.tag}D`);
    expect(JSON.stringify(before)).not.toContain(keep.code);

    const wang = world.as.leadDeputy;
    expect((await wang.call('POST', `/api/messages/${keep.id}/claim`)).status).toBe(200);
    expect(
      (
        await wang.call('POST', `/api/messages/${keep.id}/answer`, {
          answer: '已通知路灯管理所,三日内修复。',
        })
      ).status,
    ).toBe(200);
    const after = await waitFor('answer seen', async () => {
      const v = await track(dup.code);
      return v.answer ? v : null;
    });
    expect(after.answer).toBe('已通知路灯管理所,三日内修复。');
    expect(after.status).toBe('merged');
    expect(after.canRate).toBe(false);
    const kept = await wang.call('GET', `/api/messages/${keep.id}`);
    expect(kept.body.mergedCount).toBe(1);
    const merged = await staff.call('GET', `/api/messages/${dup.id}`);
    expect(merged.body.mergedIntoCode).toBe(keep.code);
  });
});

describe('一码通: likely duplicates of a message (疑似重复)', () => {
  it('staff see the message that reads alike (not an unrelated one) and merge into it; a reviewer also sees the suggestion it repeats', async () => {
    const keep = await write(`溧城北路垃圾桶长期满溢无人清运,气味很大,希望增加清运次数 ${world.tag}GK`);
    const unrelated = await write(`希望在社区增设老年人活动中心和健身器材 ${world.tag}GU`);
    const dup = await write(`溧城北路的垃圾桶总是满溢,没人清运,气味大,请增加清运次数 ${world.tag}GD`);

    const r = await staff.call('GET', `/api/messages/${dup.id}/similar`);
    expect(r.status).toBe(200);
    const ids = (r.body.messages as { id: string }[]).map((m) => m.id);
    expect(ids).toContain(keep.id);
    expect(ids).not.toContain(unrelated.id);
    expect(ids).not.toContain(dup.id);
    expect(r.body.messages[0]).toMatchObject({
      trackingCode: expect.any(String),
      statusLabel: expect.any(String),
    });
    expect(r.body.canMerge).toBe(true);
    // No personal data of the other constituents in the answer.
    expect(JSON.stringify(r.body)).not.toMatch(/139\d{8}/);
    expect(JSON.stringify(r.body)).not.toContain('张三');
    // Staff of another station do not see the message at all; an overseer sees it but may not merge.
    expect((await otherStaff.call('GET', `/api/messages/${dup.id}/similar`)).status).toBe(404);
    const rev = await world.as.reviewer.call('GET', `/api/messages/${dup.id}/similar`);
    expect(rev.status).toBe(200);
    expect(rev.body.canMerge).toBe(false);
    expect(
      (await staff.call('GET', '/api/messages/00000000-0000-4000-8000-000000000000/similar')).status,
    ).toBe(404);

    // The merge the panel links to.
    const m = await staff.call('POST', `/api/messages/${dup.id}/merge`, { intoMessageId: keep.id });
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ status: 'merged', mergedIntoId: keep.id });
    // A merged message is no longer offered as where to merge.
    const again = await staff.call('GET', `/api/messages/${keep.id}/similar`);
    expect((again.body.messages as { id: string }[]).map((x) => x.id)).not.toContain(dup.id);

    // Against suggestions: a submitted (not yet public) item about the same matter.
    // Other test files write the same 共享单车 text by the dozen into the shared database: this item and the
    // message carry the same place mark (a token of this run), which is what makes them the same matter.
    const mark = `${world.tag}gs`;
    const draft = await world.as.leadDeputy.call(
      'POST',
      '/api/suggestions',
      {
        title: `关于规范${mark}周边共享单车停放的建议`,
        content: `${mark}地铁站和商圈周边共享单车乱停乱放,占用盲道,建议划定停放区并加强调度。`,
      },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(draft.status).toBe(201);
    const item = { id: draft.body.id as string };
    expect((await world.as.leadDeputy.call('POST', `/api/suggestions/${item.id}/submit`)).status).toBe(202);
    await waitFor('submitted', async () => {
      const r = await world.as.reviewer.call('GET', `/api/suggestions/${item.id}`);
      return r.body?.status === 'submitted' || null;
    });
    const about = await write(`${mark}地铁站和商圈周边共享单车乱停乱放,占用盲道,希望划定停放区`);
    const seen = await world.as.reviewer.call('GET', `/api/messages/${about.id}/similar`);
    expect((seen.body.suggestions as { id: string }[]).map((x) => x.id)).toContain(item.id);
    expect((seen.body.messages as { id: string }[]).map((x) => x.id)).not.toContain(unrelated.id);
    // Station staff see only published suggestions (答复公开), so not this one.
    const bystaff = await staff.call('GET', `/api/messages/${about.id}/similar`);
    expect(bystaff.status).toBe(200);
    expect((bystaff.body.suggestions as { id: string }[]).map((x) => x.id)).not.toContain(item.id);
  });
});

describe('一码通: statistics for the city, towns and stations', () => {
  it('overseers read the figures (merged duplicates not counted) and export them without personal data; others are refused', async () => {
    const rev = world.as.reviewer;
    const before = await rev.call('GET', '/api/stats/messages');
    expect(before.status).toBe(200);
    const station = (b: any) =>
      (b.byStation as { label: string; received: number; claimedInTime: number }[]).find(
        (r) => r.label === '溧城街道人大代表联络站',
      );
    const keep = await write(`燕山路口信号灯配时太短,老人过马路来不及 ${world.tag}S1`);
    const dup = await write(`燕山路口红绿灯时间短 ${world.tag}S2`);
    expect(
      (await staff.call('POST', `/api/messages/${dup.id}/merge`, { intoMessageId: keep.id })).status,
    ).toBe(200);
    expect((await world.as.leadDeputy.call('POST', `/api/messages/${keep.id}/claim`)).status).toBe(200);
    const after = await rev.call('GET', '/api/stats/messages');
    expect(after.body.total.received).toBe(before.body.total.received + 1);
    expect(station(after.body)!.received).toBe(station(before.body)!.received + 1);
    expect(station(after.body)!.claimedInTime).toBe(station(before.body)!.claimedInTime + 1);
    expect(after.body.byTown.some((r: { label: string }) => r.label === '溧城街道')).toBe(true);
    expect(after.body.definitions.map((d: { key: string }) => d.key)).toContain('satisfactionRate');
    for (const s of [world.as.unitHandler, world.as.leadDeputy, staff])
      expect((await s.call('GET', '/api/stats/messages')).status).toBe(403);

    const xlsx = await rev.download('/api/exports/message-stats.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['按镇街', '按站点', '口径说明']);
    const text = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
    expect(text).toContain('溧城街道人大代表联络站');
    // No constituent's phone or name of any message in the database (a pattern like /1[3-9]\d{9}/ also
    // matches the names other tests give their stations, fuzzed ones included).
    const personal: { phone: string | null; name: string | null }[] = await world.ds.query(
      `SELECT phone, name FROM messages WHERE phone IS NOT NULL OR name IS NOT NULL`,
    );
    expect(personal.some((m) => m.phone)).toBe(true);
    for (const m of personal) {
      if (m.phone && m.phone.length >= 7) expect(text).not.toContain(m.phone);
      if (m.name && /^[\u4e00-\u9fff]{2,}$/.test(m.name)) expect(text).not.toContain(m.name);
    }
    expect(text).not.toContain('张三');
  });
});
