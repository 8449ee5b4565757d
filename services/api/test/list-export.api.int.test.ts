/**
 * Exports of list views with their filters, and the JSON exchange format, as the roles who export:
 * the reviewer's list export has the item the filter finds; a unit not assigned does not get it in
 * its own export; the exchange document carries the item's history; a deputy may not use it.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthzWorld, type Item } from './authz-support';

let world: AuthzWorld;
let item: Item;

async function sheetText(bytes: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.worksheets[0]!.eachRow((row) => out.push(row.values!.toString()));
  return out.join('\n');
}

beforeAll(async () => {
  world = await AuthzWorld.open();
  item = await world.assigned();
}, 180_000);
afterAll(async () => {
  await world?.close();
});

describe('list exports and the exchange format', () => {
  it('exports the suggestion list with the filters applied, as each role sees it', async () => {
    const { reviewer, otherUnit, unitHandler } = world.as;
    const url = `/api/exports/suggestions.xlsx?status=assigned&q=${item.token}`;
    const rev = await reviewer.download(url);
    expect(rev.status).toBe(200);
    expect(rev.type).toContain('spreadsheetml');
    const text = await sheetText(rev.bytes);
    expect(text).toContain('立案号');
    expect(text).toContain(item.token);
    // Another status: not in the file.
    expect(
      await sheetText(
        (await reviewer.download(`/api/exports/suggestions.xlsx?status=draft&q=${item.token}`)).bytes,
      ),
    ).not.toContain(item.token);
    expect(await sheetText((await unitHandler.download(url)).bytes)).toContain(item.token);
    expect(await sheetText((await otherUnit.download(url)).bytes)).not.toContain(item.token);
    const bad = await reviewer.download('/api/exports/suggestions.xlsx?status=nonsense');
    expect(bad.status).toBe(422);
  });

  it('exports the unit inbox with its filters; only a unit’s people have one', async () => {
    const { unitHandler, otherUnit, reviewer } = world.as;
    const url = (state: string) => `/api/exports/unit-inbox.xlsx?q=${item.token}&state=${state}`;
    const open = await unitHandler.download(url('open'));
    expect(open.status).toBe(200);
    expect(open.type).toContain('spreadsheetml');
    const text = await sheetText(open.bytes);
    expect(text).toContain('本单位状态');
    expect(text).toContain(item.token);
    expect(text).toContain('待签收');
    // The assigned part is open, not done; another unit's inbox has it in no state.
    expect(await sheetText((await unitHandler.download(url('done'))).bytes)).not.toContain(item.token);
    expect(await sheetText((await otherUnit.download(url(''))).bytes)).not.toContain(item.token);
    expect((await reviewer.download(url('open'))).status).toBe(403);
    expect((await unitHandler.download('/api/exports/unit-inbox.xlsx?state=nonsense')).status).toBe(422);
  });

  it('exports the supervision lists', async () => {
    const r = await world.as.supervisor.download('/api/exports/supervision.xlsx?list=at-risk&days=120');
    expect(r.status).toBe(200);
    expect(await sheetText(r.bytes)).toContain('催办次数');
    expect((await world.as.leadDeputy.download('/api/exports/supervision.xlsx?list=overdue')).status).toBe(
      403,
    );
  });

  it('the JSON exchange document has the item with its history; deputies may not export it', async () => {
    const r = await world.as.reviewer.call('GET', `/api/exports/items.json?q=${item.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'jianyi-exchange', version: 1, truncated: false });
    const it = r.body.items.find((x: { id: string }) => x.id === item.id);
    expect(it).toBeDefined();
    expect(it.registrationNo).toBeTruthy();
    const types = it.history.map((s: { type: string }) => s.type);
    expect(types).toEqual(
      expect.arrayContaining(['suggestion.submitted', 'suggestion.accepted', 'suggestion.assigned']),
    );
    expect(it.assignments[0]).toMatchObject({ role: 'lead' });
    expect((await world.as.leadDeputy.call('GET', '/api/exports/items.json')).status).toBe(403);
    const audit = await world.ds.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.exchange'`,
    );
    expect(audit[0].n).toBeGreaterThanOrEqual(1);
  });
});
