import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { CODE_ALPHABET } from '@jianyi/domain';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// 一码通 through the API of the running stack, as the constituent (no account), the station's
// deputies and staff, a unit and an overseer would use it: codes, abuse controls, who sees the
// constituent's name and phone, and the path from a message to a rated answer.
const STATION_CODE = 'CZ3K7M'; // 溧城街道人大代表联络站 (demo): deputies 王建国, 陈丽华; staff lc.staff
const JTJ = demoId('unit:JTJ');
let ds: DataSource;
const anon = new ApiSession();
let wang: ApiSession, li: ApiSession, staff: ApiSession, otherStaff: ApiSession;
let reviewer: ApiSession, jtj: ApiSession, jyj: ApiSession;

/** A fresh sender address per test, so the per-address limit of one test never touches another. */
const addr = () =>
  `198.51.100.${1 + (randomBytes(1)[0]! % 250)}, 10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const phone = () => `139${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;
const write = (body: Record<string, unknown>, from = addr(), code = STATION_CODE) =>
  anon.call('POST', `/api/intake/targets/${code}/messages`, body, { 'X-Forwarded-For': from });
const msg = (extra: Record<string, unknown> = {}) => ({
  category: 'transport',
  content: '燕山路公交站台没有遮雨棚,雨天老人候车很不方便,希望加装。',
  consent: true,
  ...extra,
});
const idOf = async (trackingCode: string) =>
  (
    (await ds.query(`SELECT id FROM messages WHERE tracking_code = $1`, [trackingCode])) as { id: string }[]
  )[0]!.id;

beforeAll(async () => {
  ds = await openDataSource();
  const sessions = await Promise.all(
    ['wangjianguo', 'lixiuying', 'lc.staff', 'tmh.staff', 'reviewer', 'jtj.handler', 'jyj.handler'].map((u) =>
      ApiSession.login(u),
    ),
  );
  [wang, li, staff, otherStaff, reviewer, jtj, jyj] = sessions as [
    ApiSession,
    ApiSession,
    ApiSession,
    ApiSession,
    ApiSession,
    ApiSession,
    ApiSession,
  ];
});
afterAll(() => ds?.destroy());

describe('一码通: codes', () => {
  it('a station code opens its page; unknown and malformed codes get the same 404', async () => {
    const t = await anon.call('GET', `/api/intake/targets/${STATION_CODE.toLowerCase()}`);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({
      kind: 'station',
      name: '溧城街道人大代表联络站',
      stationKindLabel: '代表联络站',
    });
    expect(t.body.deputies).toEqual(expect.arrayContaining(['王建国', '陈丽华']));
    expect(t.body.url).toMatch(/\/m\/CZ3K7M$/);
    const qr = await anon.call('GET', `/api/intake/targets/${STATION_CODE}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    const a = await anon.call('GET', '/api/intake/targets/ZZZZZZ');
    const b = await anon.call('GET', '/api/intake/targets/not-a-code!');
    expect(a.status).toBe(404);
    expect(b.status).toBe(404);
    expect(a.body).toEqual(b.body);
  });

  it('a deputy code addresses that deputy; the message reaches their station too', async () => {
    const r = await write(msg(), addr(), 'WJG5R8');
    expect(r.status).toBe(201);
    const row = (
      await ds.query(`SELECT deputy_id, station_id FROM messages WHERE tracking_code = $1`, [
        r.body.trackingCode,
      ])
    )[0];
    expect(row).toEqual({ deputy_id: demoId('deputy:wang'), station_id: demoId('station:lc') });
  });

  it('tracking codes are random, 10 characters of the readable alphabet; lookups answer one 404 for anything unknown', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await write(msg());
      expect(r.status).toBe(201);
      codes.push(r.body.trackingCode);
    }
    for (const c of codes) {
      expect(c).toHaveLength(10);
      expect([...c].every((ch) => CODE_ALPHABET.includes(ch))).toBe(true);
    }
    expect(new Set(codes).size).toBe(3);
    // Not derived from any id: no shared prefix or order.
    expect(
      codes[0]!.slice(0, 4) === codes[1]!.slice(0, 4) && codes[1]!.slice(0, 4) === codes[2]!.slice(0, 4),
    ).toBe(false);
    const ok = await anon.call(
      'GET',
      `/api/intake/track/${codes[0]!.toLowerCase().replace(/(.{5})/, '$1-')}`,
    );
    expect(ok.status).toBe(200);
    const unknown = await anon.call('GET', '/api/intake/track/ABCDEFGHJK');
    const bad = await anon.call('GET', '/api/intake/track/1');
    const sqlish = await anon.call('GET', `/api/intake/track/${encodeURIComponent("' OR 1=1 --")}`);
    expect([unknown.status, bad.status, sqlish.status]).toEqual([404, 404, 404]);
    expect(unknown.body).toEqual(bad.body);
    expect(unknown.body).toEqual(sqlish.body);
  });
});

describe('一码通: abuse controls', () => {
  it('refuses a sixth message from one address within the hour (429), not a message from another address', async () => {
    const from = addr();
    for (let i = 0; i < 5; i++) expect((await write(msg(), from)).status).toBe(201);
    const sixth = await write(msg(), from);
    expect(sixth.status).toBe(429);
    expect(sixth.body.title).toContain('频繁');
    expect((await write(msg())).status).toBe(201);
  });

  it('refuses a fourth message with one phone number in a day, whatever the address', async () => {
    const p = phone();
    for (let i = 0; i < 3; i++) expect((await write(msg({ phone: p }))).status).toBe(201);
    const fourth = await write(msg({ phone: p }));
    expect(fourth.status).toBe(429);
    expect(fourth.body.detail).toContain('phone');
  });

  it('caps the size: too long a text names the field; too large a body is refused whole', async () => {
    const long = await write(msg({ content: '长'.repeat(2001) }));
    expect(long.status).toBe(422);
    expect(long.body.errors[0]).toMatchObject({ field: 'content' });
    expect(long.body.errors[0].message).toContain('留言内容');
    const huge = await write(msg({ content: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(413);
    const badPhone = await write(msg({ phone: '12345' }));
    expect(badPhone.status).toBe(422);
    expect(badPhone.body.errors[0].field).toBe('phone');
  });

  it('a filled honeypot looks accepted but stores nothing', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM messages`))[0].n;
    const r = await write(msg({ website: 'http://spam.example' }));
    expect(r.status).toBe(201);
    expect((await ds.query(`SELECT count(*)::int AS n FROM messages`))[0].n).toBe(before);
    expect((await anon.call('GET', `/api/intake/track/${r.body.trackingCode}`)).status).toBe(404);
  });
});

describe('一码通: personal data and the way to a rated answer', () => {
  it('name and phone only for the station’s deputies and staff; units and overseers see the text only; the public never', async () => {
    const p = phone();
    const r = await write(msg({ name: '张阿姨', phone: p }));
    expect(r.status).toBe(201);
    const id = await idOf(r.body.trackingCode);
    const track = await anon.call('GET', `/api/intake/track/${r.body.trackingCode}`);
    expect(JSON.stringify(track.body)).not.toContain(p);
    expect(JSON.stringify(track.body)).not.toContain('张阿姨');
    expect(track.body.progress).toContain('等待代表接收');

    for (const s of [wang, staff]) {
      const m = await s.call('GET', `/api/messages/${id}`);
      expect(m.status).toBe(200);
      expect(m.body).toMatchObject({ name: '张阿姨', phone: p });
    }
    const rev = await reviewer.call('GET', `/api/messages/${id}`);
    expect(rev.status).toBe(200);
    expect(rev.body).toMatchObject({ name: null, phone: null });
    for (const s of [li, otherStaff, jtj])
      expect((await s.call('GET', `/api/messages/${id}`)).status).toBe(404);
    const list = await li.call('GET', '/api/messages');
    expect(list.body.items.some((m: { id: string }) => m.id === id)).toBe(false);

    // The deputy claims and forwards to 交通局; the unit then sees it, still without the personal data.
    await waitFor(
      'workflow started',
      async () => (await wang.call('POST', `/api/messages/${id}/claim`)).status === 200,
    );
    expect((await staff.call('POST', `/api/messages/${id}/claim`)).status).toBe(409);
    const fwd = await wang.call('POST', `/api/messages/${id}/forward`, {
      unitId: JTJ,
      note: '请核实并加装遮雨棚',
    });
    expect(fwd.status).toBe(200);
    expect(fwd.body.status).toBe('forwarded');
    const seen = await jtj.call('GET', `/api/messages/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ name: null, phone: null, status: 'forwarded' });
    expect(JSON.stringify(seen.body)).not.toContain(p);
    expect((await jyj.call('GET', `/api/messages/${id}`)).status).toBe(404);
    const inbox = await jtj.call('GET', '/api/messages?status=forwarded');
    expect(inbox.body.items.some((m: { id: string }) => m.id === id)).toBe(true);
    const tracked = await anon.call('GET', `/api/intake/track/${r.body.trackingCode}`);
    expect(tracked.body.progress).toContain('市交通运输局');

    // Wrong answers first: another unit, an empty text.
    expect((await jyj.call('POST', `/api/messages/${id}/answer`, { answer: '不归我们管' })).status).toBe(404);
    const empty = await jtj.call('POST', `/api/messages/${id}/answer`, { answer: '' });
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].field).toBe('answer');
    const ans = await jtj.call('POST', `/api/messages/${id}/answer`, {
      answer: '经现场核实,已安排本月内加装遮雨棚。',
    });
    expect(ans.status).toBe(200);

    const done = await anon.call('GET', `/api/intake/track/${r.body.trackingCode}`);
    expect(done.body).toMatchObject({
      status: 'answered',
      canRate: true,
      answer: '经现场核实,已安排本月内加装遮雨棚。',
    });
    const badRating = await anon.call('POST', `/api/intake/track/${r.body.trackingCode}/rating`, {
      rating: 'great',
    });
    expect(badRating.status).toBe(422);
    expect(badRating.body.errors[0].field).toBe('rating');
    const rated = await anon.call('POST', `/api/intake/track/${r.body.trackingCode}/rating`, {
      rating: 'satisfied',
      comment: '谢谢代表',
    });
    expect(rated.status).toBe(200);
    const after = await anon.call('GET', `/api/intake/track/${r.body.trackingCode}`);
    expect(after.body).toMatchObject({ status: 'rated', ratingLabel: '满意', canRate: false });
    expect(
      (await anon.call('POST', `/api/intake/track/${r.body.trackingCode}/rating`, { rating: 'unsatisfied' }))
        .status,
    ).toBe(409);
    // The deputy was told of the answer (in-app notice through Kafka and the notifier).
    await waitFor('notice', async () => {
      const n: unknown[] = await ds.query(
        `SELECT 1 FROM notifications WHERE user_id = $1 AND event_type = 'message.answered' AND body LIKE $2`,
        [demoId('user:wangjianguo'), `%${r.body.trackingCode}%`],
      );
      return n.length === 1;
    });
  }, 60_000);

  it('staff enter a paper message (线下反馈) for their own station only, and hand over a tracking code', async () => {
    const body = { ...msg({ name: '李大爷', phone: phone() }), stationId: demoId('station:lc') };
    expect((await wang.call('POST', '/api/messages/offline', body)).status).toBe(403);
    expect((await otherStaff.call('POST', '/api/messages/offline', body)).status).toBe(403);
    const r = await staff.call('POST', '/api/messages/offline', body);
    expect(r.status).toBe(201);
    expect(r.body.trackingCode).toHaveLength(10);
    const row = (await ds.query(`SELECT channel, created_by FROM messages WHERE id = $1`, [r.body.id]))[0];
    expect(row).toEqual({ channel: 'offline', created_by: demoId('user:lc.staff') });
    expect((await anon.call('GET', `/api/intake/track/${r.body.trackingCode}`)).status).toBe(200);
  });
});

describe('一码通: the inbox paged and searched, and its export', () => {
  /** Every cell of the first sheet, row by row. */
  const rowsOf = async (bytes: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const out: string[][] = [];
    wb.worksheets[0]!.eachRow((row) =>
      out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
    );
    return out;
  };

  it('pages with an exact total and finds by keyword; the workbook follows the filter and names the constituent only for the station', async () => {
    const word = `检索${randomBytes(3).toString('hex')}`;
    const phones = [phone(), phone(), phone()];
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await write(
        msg({ content: `${word} 路口红绿灯时间太短,第${i + 1}次反映。`, name: '李大爷', phone: phones[i] }),
      );
      expect(r.status).toBe(201);
      codes.push(r.body.trackingCode);
    }
    const first = await staff.call('GET', `/api/messages?q=${encodeURIComponent(word)}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items).toHaveLength(2);
    const second = await staff.call('GET', `/api/messages?q=${encodeURIComponent(word)}&limit=2&page=2`);
    expect(second.body.items).toHaveLength(1);
    const seen = [...first.body.items, ...second.body.items].map(
      (m: { trackingCode: string }) => m.trackingCode,
    );
    expect(new Set(seen)).toEqual(new Set(codes));
    // By tracking code; a wildcard is a character, not a pattern.
    expect((await staff.call('GET', `/api/messages?q=${codes[0]}`)).body.items).toHaveLength(1);
    expect((await staff.call('GET', `/api/messages?q=%25`)).body.total).toBe(0);
    const bad = await staff.call('GET', `/api/messages?page=0`);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('页码');

    // The station's staff export: the three messages, with name and phone.
    const url = `/api/exports/messages.xlsx?q=${encodeURIComponent(word)}&status=pending_claim`;
    const mine = await staff.download(url);
    expect(mine.status).toBe(200);
    expect(mine.type).toContain('spreadsheetml');
    const rows = await rowsOf(mine.bytes);
    expect(rows[0]).toEqual(expect.arrayContaining(['查询码', '留言内容', '留言人', '手机号码']));
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual([...codes].sort());
    expect(rows.slice(1).every((r) => r.includes('李大爷'))).toBe(true);
    expect(
      rows
        .slice(1)
        .map((r) => r.at(-1))
        .sort(),
    ).toEqual([...phones].sort());
    // An overseer exports the text only; another station's staff and a deputy of no station get none.
    const rev = await rowsOf((await reviewer.download(url)).bytes);
    expect(rev).toHaveLength(4);
    expect(rev[0]).not.toContain('手机号码');
    for (const p of phones) expect(JSON.stringify(rev)).not.toContain(p);
    expect(JSON.stringify(rev)).not.toContain('李大爷');
    expect(await rowsOf((await otherStaff.download(url)).bytes)).toHaveLength(1);
    expect(await rowsOf((await li.download(url)).bytes)).toHaveLength(1);
    // Another status: not in the file.
    expect(
      await rowsOf(
        (await staff.download(`/api/exports/messages.xlsx?q=${encodeURIComponent(word)}&status=answered`))
          .bytes,
      ),
    ).toHaveLength(1);
    expect((await staff.download('/api/exports/messages.xlsx?status=nonsense')).status).toBe(422);
    const audit = await ds.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.list' AND actor_user_id = $1 AND after->>'list' = 'messages'`,
      [demoId('user:lc.staff')],
    );
    expect(audit[0].n).toBeGreaterThanOrEqual(1);
  });
});
