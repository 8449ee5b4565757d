/**
 * Excel 导入 through the API as the admin: template per kind, a workbook with one bad row gets a
 * row-by-row report (row and column named, Chinese and English) and applying it writes nothing;
 * the corrected file is applied in one transaction; importing it again creates nothing new. Paper
 * suggestions arrive as drafts of their lead deputy with their co-signers. Other roles: 403.
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { chinaDateOf } from '@jianyi/domain';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let ds: DataSource;
let admin: ApiSession;
let reviewer: ApiSession;
const tag = randomBytes(3).toString('hex').toUpperCase();

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const send = (s: ApiSession, kind: string, step: 'validate' | 'apply', bytes: Buffer) =>
  s.upload(`/api/admin/import/${kind}/${step}`, { name: `${kind}.xlsx`, bytes });

beforeAll(async () => {
  ds = await openDataSource();
  [admin, reviewer] = await Promise.all([ApiSession.login('admin'), ApiSession.login('reviewer')]);
});
afterAll(() => ds?.destroy());

describe('Excel import', () => {
  it('offers a template per kind with the columns and an explanation sheet', async () => {
    for (const kind of ['deputies', 'units', 'suggestions', 'history', 'training']) {
      const r = await admin.download(`/api/admin/import/${kind}/template.xlsx`);
      expect(r.status).toBe(200);
      expect(r.type).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.bytes as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toContain('填写说明');
    }
    const t = await admin.download('/api/admin/import/units/template.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(t.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '单位编码', '单位名称', '职责']);
    expect((await admin.download('/api/admin/import/planets/template.xlsx')).status).toBe(422);
  });

  it('units: one bad row is reported by row and column; apply writes nothing; the fixed file imports once', async () => {
    const good: string[][] = [
      [`T${tag}A`, `测试水务局${tag}`, '负责供水、排水和防汛。'],
      [`T${tag}B`, `测试园林局${tag}`, '负责公园绿地建设和管理。'],
    ];
    const bad = await workbook([
      ['单位编码', '单位名称', '职责'],
      good[0]!,
      [`T${tag}C`, '', '缺名称'],
      good[1]!,
    ]);
    const report = await send(admin, 'units', 'validate', bad);
    expect(report.status).toBe(200);
    // The bad row is not counted among those the import would create.
    expect(report.body).toMatchObject({ kind: 'units', rows: 3, valid: 2, create: 2, applied: false });
    expect(report.body.errors).toEqual([
      {
        row: 3,
        column: '单位名称',
        message: '第 3 行「单位名称」：不能为空',
        messageEn: 'row 3, name: required',
      },
    ]);
    const refused = await send(admin, 'units', 'apply', bad);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].message).toContain('第 3 行');
    const count = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM units WHERE code LIKE $1`, [`T${tag}%`]))[0].n;
    expect(await count()).toBe(0);

    const fixed = await workbook([['单位编码', '单位名称', '职责'], ...good]);
    const applied = await send(admin, 'units', 'apply', fixed);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, create: 2, update: 0, errors: [] });
    expect(await count()).toBe(2);
    const [u] = await ds.query(`SELECT remit FROM units WHERE code = $1`, [`T${tag}A`]);
    expect(u.remit).toBe('负责供水、排水和防汛。');
    const again = await send(admin, 'units', 'apply', fixed);
    expect(again.body).toMatchObject({ applied: true, create: 0, update: 0, unchanged: 2 });
    expect(await count()).toBe(2);
    const audit = await ds.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.applied' AND entity_id = 'units'`,
    );
    expect(audit[0].n).toBeGreaterThanOrEqual(2);
  });

  it('deputies: an unknown level is named; re-import creates nothing new', async () => {
    const rows = [
      ['姓名', '代表层级', '镇（街道）', '代表团'],
      [`周测${tag}`, '市', '溧城街道', '溧城代表团'],
      [`吴测${tag}`, '火星', '南渡镇', ''],
    ];
    const r = await send(admin, 'deputies', 'validate', await workbook(rows));
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({ row: 3, column: '代表层级' });
    rows[2]![1] = '乡镇';
    const ok = await send(admin, 'deputies', 'apply', await workbook(rows));
    expect(ok.body).toMatchObject({ applied: true, create: 2 });
    const again = await send(admin, 'deputies', 'apply', await workbook(rows));
    expect(again.body).toMatchObject({ create: 0, unchanged: 2 });
    const n = await ds.query(`SELECT count(*)::int AS n FROM deputies WHERE name LIKE $1`, [`%测${tag}`]);
    expect(n[0].n).toBe(2);
  });

  it('paper suggestions become drafts of their lead deputy, with co-signers; unknown signers are named', async () => {
    const title = `关于完善农村道路路灯的建议 ${tag}`;
    const rows = [
      ['标题', '内容', '领衔代表', '领衔代表镇（街道）', '联名代表', '主题'],
      [title, '多个行政村主干道缺少路灯，夜间出行不便。', '王建国', '', '李秀英、张志强', '城乡建设'],
      [`另一件 ${tag}`, '内容', '王建国', '', '查无此人', ''],
    ];
    const r = await send(admin, 'suggestions', 'validate', await workbook(rows));
    expect(r.body.errors).toEqual([
      expect.objectContaining({ row: 3, column: '联名代表', message: expect.stringContaining('查无此人') }),
    ]);
    rows.pop();
    const ok = await send(admin, 'suggestions', 'apply', await workbook(rows));
    expect(ok.body).toMatchObject({ applied: true, create: 1 });
    expect((await send(admin, 'suggestions', 'apply', await workbook(rows))).body).toMatchObject({
      create: 0,
      unchanged: 1,
    });
    const wang = await ApiSession.login('wangjianguo');
    const [row] = await ds.query(`SELECT id FROM suggestions WHERE title = $1`, [title]);
    const item = (await wang.call('GET', `/api/suggestions/${row.id}`)).body;
    expect(item).toMatchObject({ status: 'draft', title });
    const detail = await wang.call('GET', `/api/suggestions/${item.id}/timeline`);
    expect(detail.body.suggestion.cosigners.map((c: { name: string }) => c.name).sort()).toEqual(
      ['张志强', '李秀英'].sort(),
    );
  });

  it('historical items with their replies: errors named by row and column; applied closed with reply, rating and 历史导入; re-import creates nothing; each role sees what it would', async () => {
    const header = [
      '届次年份',
      '立案号',
      '标题',
      '内容',
      '领衔代表',
      '领衔代表镇（街道）',
      '联名代表',
      '主办单位',
      '协办单位',
      '答复内容',
      '答复日期',
      '答复类别',
      '满意度',
      '办结日期',
      '主题',
      '答复公开',
    ];
    const title = `关于增设城郊公交夜班线路的建议${tag}`;
    const hidden = `关于规范学校周边摊点的建议${tag}`;
    const row1 = [
      '2024',
      `H${tag}-第0001号`,
      title,
      '城郊居民夜间出行不便，建议增设夜班公交线路并延长末班车时间。',
      '王建国',
      '',
      '李秀英',
      '市交通运输局',
      'JYJ',
      '已于 2024 年 6 月开通 2 条夜班线路。',
      '2024-06-20',
      'A',
      '满意',
      '2024-07-15',
      '交通',
      '是',
    ];
    const row2ok = [
      '2024',
      `H${tag}-第0002号`,
      hidden,
      '学校周边流动摊点影响交通和食品安全，建议规范管理。',
      '王建国',
      '',
      '',
      'JTJ',
      '',
      '已列入明年整治计划。',
      '2024/6/25',
      'B',
      '',
      '2024-07-20',
      '',
      '否',
    ];
    const row2bad = [...row2ok];
    row2bad[11] = 'E';
    row2bad[13] = '2024-06-01'; // before the reply
    row2bad[7] = '不存在的局';
    const bad = await workbook([header, row1, row2bad]);
    const report = await send(admin, 'history', 'validate', bad);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ kind: 'history', rows: 2, valid: 1, applied: false });
    const messages = report.body.errors.map((e: { message: string }) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        '第 3 行「答复类别」：只能填写 A、B、C 或 D',
        '第 3 行「办结日期」：不能早于答复日期',
      ]),
    );
    expect(report.body.errors.every((e: { row: number }) => e.row === 3)).toBe(true);
    const refused = await send(admin, 'history', 'apply', bad);
    expect(refused.status).toBe(422);
    const count = async () =>
      (
        await ds.query(`SELECT count(*)::int AS n FROM suggestions WHERE registration_no LIKE $1`, [
          `H${tag}-%`,
        ])
      )[0].n as number;
    expect(await count()).toBe(0);
    // The unknown lead unit is named once the other cells are right.
    const unknownUnit = [...row2ok];
    unknownUnit[7] = '不存在的局';
    const r2 = await send(admin, 'history', 'validate', await workbook([header, row1, unknownUnit]));
    expect(r2.body.errors).toEqual([expect.objectContaining({ row: 3, column: '主办单位' })]);

    const good = await workbook([header, row1, row2ok]);
    const applied = await send(admin, 'history', 'apply', good);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ create: 2, unchanged: 0, applied: true });
    expect(await count()).toBe(2);
    const again = await send(admin, 'history', 'apply', good);
    expect(again.body).toMatchObject({ create: 0, unchanged: 2, applied: true });
    expect(await count()).toBe(2);

    const [item] = await ds.query(
      `SELECT id, status, session_year AS "sessionYear", submitted_at IS NOT NULL AS submitted FROM suggestions WHERE registration_no = $1`,
      [`H${tag}-第0001号`],
    );
    expect(item).toMatchObject({ status: 'published', sessionYear: 2024 });
    const [hiddenItem] = await ds.query(`SELECT id, status FROM suggestions WHERE registration_no = $1`, [
      `H${tag}-第0002号`,
    ]);
    expect(hiddenItem.status).toBe('closed');
    // The event is on the timeline, already relayed (nobody notified), and no notice was written.
    const events = await ds.query(
      `SELECT type, published_at IS NOT NULL AS relayed FROM outbox WHERE aggregate_id = $1`,
      [item.id],
    );
    expect(events).toEqual([{ type: 'suggestion.imported', relayed: true }]);

    const [wang, li, zhang, jtj, jyj] = await Promise.all(
      ['wangjianguo', 'lixiuying', 'zhangzhiqiang', 'jtj.handler', 'jyj.handler'].map((u) =>
        ApiSession.login(u),
      ),
    );
    const tl = await wang!.call('GET', `/api/suggestions/${item.id}/timeline`);
    expect(tl.status).toBe(200);
    expect(tl.body.steps.map((x: { type: string }) => x.type)).toEqual(['suggestion.imported']);
    expect(JSON.stringify(tl.body)).toContain('已于 2024 年 6 月开通 2 条夜班线路');
    for (const s of [li!, jtj!, jyj!, reviewer])
      expect((await s.call('GET', `/api/suggestions/${item.id}`)).status).toBe(200);
    expect((await zhang!.call('GET', `/api/suggestions/${item.id}`)).status).toBe(404);
    // Published only where the row allows it.
    const anon = new ApiSession();
    expect((await anon.call('GET', `/api/public/replies/${item.id}`)).status).toBe(200);
    expect((await anon.call('GET', `/api/public/replies/${hiddenItem.id}`)).status).toBe(404);
    // Duplicate detection finds the historical item for a new draft on the same matter.
    const similar = await wang!.call(
      'GET',
      `/api/suggestions/similar?title=${encodeURIComponent(`关于增设城郊公交夜班线路的建议`)}&content=${encodeURIComponent('城郊居民夜间出行不便，建议增设夜班公交线路')}`,
    );
    expect(similar.status).toBe(200);
    expect(similar.body.items.map((x: { id: string }) => x.id)).toContain(item.id);
    const notices = await ds.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN outbox o ON o.event_id = n.event_id WHERE o.aggregate_id = $1`,
      [item.id],
    );
    expect(notices[0].n).toBe(0);
  });

  it('training (代表讲堂) attendance: refused rows named in zh/en; the fixed file credits each deputy once; a re-import adds nothing', async () => {
    const t = await admin.download('/api/admin/import/training/template.xlsx');
    const tw = new ExcelJS.Workbook();
    await tw.xlsx.load(t.bytes as unknown as ArrayBuffer);
    expect(tw.worksheets[0]!.getRow(1).values).toEqual([
      undefined,
      '培训名称',
      '培训日期',
      '地点',
      '主讲人',
      '代表姓名',
      '代表镇（街道）',
    ]);
    const today = chinaDateOf(Date.now());
    const tomorrow = chinaDateOf(Date.now() + 86_400_000);
    const title = `代表讲堂：预算审查${tag}`;
    const header = ['培训名称', '培训日期', '地点', '主讲人', '代表姓名', '代表镇（街道）'];
    const wangRow = [title, today, '市人大常委会会议室', '孙教授', '王建国', '溧城街道'];
    const liRow = [title, today, '', '', '李秀英', '天目湖镇'];
    const bad = await workbook([
      header,
      wangRow,
      [title, today, '', '', `无此代表${tag}`, ''],
      [`明日讲堂${tag}`, tomorrow, '', '', '王建国', '溧城街道'],
      [title, '2026-13-40', '', '', '王建国', '溧城街道'],
      liRow,
      wangRow,
    ]);
    const report = await send(admin, 'training', 'validate', bad);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ kind: 'training', rows: 6, valid: 2, create: 2, applied: false });
    expect(report.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual([
      '3:代表姓名',
      '4:培训日期',
      '5:培训日期',
      '7:代表姓名',
    ]);
    expect(report.body.errors[0]).toMatchObject({
      message: `第 3 行「代表姓名」：没有名为「无此代表${tag}」的代表`,
      messageEn: `row 3, deputy: no deputy named 无此代表${tag}`,
    });
    expect(report.body.errors[1].message).toContain('培训尚未举行');
    expect(report.body.errors[1].messageEn).toContain('not taken place');
    expect(report.body.errors[3].message).toContain('与第 2 行重复');
    const refused = await send(admin, 'training', 'apply', bad);
    expect(refused.status).toBe(422);
    const sessions = async () =>
      (await ds.query(`SELECT id FROM training_sessions WHERE title = $1`, [title])) as { id: string }[];
    expect(await sessions()).toEqual([]);
    expect((await send(reviewer, 'training', 'validate', bad)).status).toBe(403);

    const good = await workbook([header, wangRow, liRow]);
    const applied = await send(admin, 'training', 'apply', good);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ create: 2, unchanged: 0, applied: true });
    const [session] = await sessions();
    const credits = (deputy: string) =>
      ds.query(
        `SELECT points FROM points_ledger WHERE deputy_id = $1 AND rule = 'training' AND record_id = $2`,
        [demoId(`deputy:${deputy}`), session!.id],
      ) as Promise<unknown[]>;
    await waitFor(
      'training credited',
      async () => (await credits('wang')).length && (await credits('li')).length,
    );
    // The deputy sees it in their 履职档案.
    const wang = await ApiSession.login('wangjianguo');
    const rec = await wang.call(
      'GET',
      `/api/deputies/${demoId('deputy:wang')}/record?year=${today.slice(0, 4)}`,
    );
    expect(rec.body.trainings.map((x: { title: string }) => x.title)).toContain(title);

    const again = await send(admin, 'training', 'apply', good);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ create: 0, unchanged: 2, applied: true });
    expect(await sessions()).toHaveLength(1);
    expect(
      (
        await ds.query(`SELECT count(*)::int AS n FROM training_attendance WHERE session_id = $1`, [
          session!.id,
        ])
      )[0].n,
    ).toBe(2);
    // A third deputy added later is the only one credited by the next import.
    const more = await send(
      admin,
      'training',
      'apply',
      await workbook([header, wangRow, liRow, [title, today, '', '', '张志强', '戴埠镇']]),
    );
    expect(more.body).toMatchObject({ create: 1, unchanged: 2, applied: true });
    await waitFor('zhang credited', async () => (await credits('zhang')).length > 0);
    expect(await credits('wang')).toHaveLength(1);
  });

  it('refuses other roles (403) and a file that is not a workbook (422)', async () => {
    const wb = await workbook([['单位编码', '单位名称', '职责']]);
    expect((await send(reviewer, 'units', 'validate', wb)).status).toBe(403);
    expect((await reviewer.download('/api/admin/import/units/template.xlsx')).status).toBe(403);
    const notXlsx = await admin.upload('/api/admin/import/units/validate', {
      name: 'units.xlsx',
      bytes: Buffer.from('%PDF-1.4 not a workbook'),
    });
    expect(notXlsx.status).toBe(422);
    expect(notXlsx.body.errors[0].message).toContain('Excel');
    const noHeader = await send(admin, 'units', 'validate', await workbook([['编码', '名称']]));
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.errors[0].message).toContain('单位编码');
  });
});
