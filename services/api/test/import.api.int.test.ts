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
import { openDataSource } from '@jianyi/platform';
import { ApiSession } from '@jianyi/platform/src/testing';

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
    for (const kind of ['deputies', 'units', 'suggestions']) {
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
