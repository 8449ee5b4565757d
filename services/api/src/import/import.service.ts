/**
 * Excel 导入 (数字人大 interop): deputies, units with their remit (职责), and suggestions from the
 * congress session's paper submissions (with signers). Each import first reads and validates the
 * whole workbook and answers a row-by-row report (each error names its row and column, in Chinese
 * and English); applying re-validates and writes every row in one transaction, idempotently: a row
 * whose record already exists is matched (deputies by name + 镇/街道, units by code, suggestions by
 * lead deputy + title), so importing the same file again creates nothing new.
 *
 * Paper suggestions enter as drafts of their lead deputy (the deputy, or staff on their behalf,
 * submits them; a submission starts the item's workflow, which cannot share the import's transaction).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import { audit, type SessionUser } from '@jianyi/platform';
import { HttpProblem, problems } from '../http/problem';
import { SuggestionRepository } from '../suggestion.repository';

import { importKinds } from '../contracts/imports';

export const IMPORT_KINDS = importKinds;
export type ImportKind = (typeof IMPORT_KINDS)[number];

interface Column {
  key: string;
  header: string;
  headerEn: string;
  required?: boolean;
  max: number;
  example: string;
  note?: string;
}

export interface RowError {
  row: number;
  column: string;
  message: string;
  messageEn: string;
}

export interface ImportReport {
  kind: ImportKind;
  rows: number;
  valid: number;
  errors: RowError[];
  create: number;
  update: number;
  unchanged: number;
  applied: boolean;
}

const LEVELS: Record<string, string> = {
  全国: 'national',
  省: 'provincial',
  市: 'city',
  县: 'county',
  区: 'county',
  乡镇: 'township',
  乡: 'township',
  镇: 'township',
};

const COLUMNS: Record<ImportKind, Column[]> = {
  deputies: [
    { key: 'name', header: '姓名', headerEn: 'name', required: true, max: 50, example: '周建华' },
    {
      key: 'level',
      header: '代表层级',
      headerEn: 'level',
      max: 8,
      example: '市',
      note: '全国 / 省 / 市 / 县（区） / 乡镇；空为市',
    },
    { key: 'town', header: '镇（街道）', headerEn: 'town', max: 50, example: '溧城街道' },
    { key: 'delegation', header: '代表团', headerEn: 'delegation', max: 100, example: '溧城代表团' },
  ],
  units: [
    { key: 'code', header: '单位编码', headerEn: 'code', required: true, max: 32, example: 'SWJ' },
    { key: 'name', header: '单位名称', headerEn: 'name', required: true, max: 100, example: '市水务局' },
    {
      key: 'remit',
      header: '职责',
      headerEn: 'remit',
      max: 5000,
      example: '负责供水、排水、防汛和河道管理。',
    },
  ],
  suggestions: [
    {
      key: 'title',
      header: '标题',
      headerEn: 'title',
      required: true,
      max: 200,
      example: '关于加强老旧小区排水改造的建议',
    },
    {
      key: 'content',
      header: '内容',
      headerEn: 'content',
      required: true,
      max: 20000,
      example: '部分老旧小区雨季积水严重，建议纳入排水改造计划。',
    },
    { key: 'lead', header: '领衔代表', headerEn: 'lead deputy', required: true, max: 50, example: '王建国' },
    {
      key: 'leadTown',
      header: '领衔代表镇（街道）',
      headerEn: "lead deputy's town",
      max: 50,
      example: '',
      note: '代表重名时填写',
    },
    {
      key: 'cosigners',
      header: '联名代表',
      headerEn: 'co-signers',
      max: 2000,
      example: '李秀英、张志强',
      note: '多人用顿号或逗号分隔',
    },
    { key: 'topic', header: '主题', headerEn: 'topic', max: 32, example: '城乡建设' },
  ],
};

export const KIND_LABELS: Record<ImportKind, string> = {
  deputies: '代表',
  units: '承办单位',
  suggestions: '代表建议（纸质提交）',
};

type Row = Record<string, string> & { __row: string };

function err(row: number, col: Column, zh: string, en: string): RowError {
  return {
    row,
    column: col.header,
    message: `第 ${row} 行「${col.header}」：${zh}`,
    messageEn: `row ${row}, ${col.headerEn}: ${en}`,
  };
}

const splitNames = (v: string) =>
  v
    .split(/[、,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export class ImportService {
  private suggestions: SuggestionRepository;
  constructor(private ds: DataSource) {
    this.suggestions = new SuggestionRepository(ds);
  }

  /** The template: the header row, one example row, and a sheet explaining each column. */
  async template(kind: ImportKind): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(KIND_LABELS[kind]);
    const cols = COLUMNS[kind];
    ws.addRow(cols.map((c) => c.header));
    ws.addRow(cols.map((c) => c.example));
    ws.getRow(1).font = { bold: true };
    cols.forEach(
      (c, i) => (ws.getColumn(i + 1).width = Math.min(60, Math.max(12, c.example.length * 2 + 4))),
    );
    const help = wb.addWorksheet('填写说明');
    help.addRow(['列', '必填', '最长', '说明']);
    help.getRow(1).font = { bold: true };
    for (const c of cols) help.addRow([c.header, c.required ? '是' : '否', c.max, c.note ?? '']);
    help.addRow([]);
    help.addRow(['第一行为列名，请勿修改；示例行可删除或覆盖。重复导入同一文件不会产生重复记录。']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** The rows of the first sheet by the template's headers (row numbers as Excel shows them). */
  private async read(kind: ImportKind, bytes: Buffer): Promise<{ rows: Row[]; errors: RowError[] }> {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw new HttpProblem(422, '文件无法读取', 'not an xlsx workbook', [
        {
          field: 'file',
          message: '文件：不是有效的 Excel（xlsx）文件',
          messageEn: 'not a valid xlsx workbook',
        },
      ]);
    }
    const ws = wb.worksheets[0];
    if (!ws)
      throw problems.invalid([{ field: 'file', message: '文件：没有工作表', messageEn: 'no worksheet' }]);
    const cols = COLUMNS[kind];
    const header = new Map<string, number>();
    ws.getRow(1).eachCell((cell, i) => header.set(cell.text.trim(), i));
    const missing = cols.filter((c) => c.required && !header.has(c.header));
    if (missing.length)
      throw problems.invalid(
        missing.map((c) => ({
          field: 'file',
          message: `文件：第 1 行缺少列「${c.header}」（请使用导入模板）`,
          messageEn: `row 1 lacks the column "${c.header}" (${c.headerEn}); use the template`,
        })),
      );
    const rows: Row[] = [];
    const errors: RowError[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const xr = ws.getRow(r);
      const row = { __row: String(r) } as Row;
      let any = false;
      for (const c of cols) {
        const i = header.get(c.header);
        const v = i
          ? xr
              .getCell(i)
              .text.replace(/\u0000/g, '')
              .trim()
          : '';
        if (v) any = true;
        row[c.key] = v;
      }
      if (!any) continue; // blank lines are not rows
      for (const c of cols) {
        const v = row[c.key] ?? '';
        if (c.required && !v) errors.push(err(r, c, '不能为空', 'required'));
        else if (v.length > c.max)
          errors.push(err(r, c, `不能超过 ${c.max} 个字符`, `at most ${c.max} characters`));
      }
      rows.push(row);
    }
    if (rows.length > 5000)
      throw problems.invalid([
        { field: 'file', message: '文件：一次最多导入 5000 行', messageEn: 'at most 5,000 rows per import' },
      ]);
    return { rows, errors };
  }

  /** Validates (and with `apply`, writes) the workbook; the same checks run inside the transaction. */
  async run(user: SessionUser, kind: ImportKind, bytes: Buffer, apply: boolean, requestId: string | null) {
    const { rows, errors: readErrors } = await this.read(kind, bytes);
    const work = async (m: EntityManager) => {
      const errors = [...readErrors];
      const counts = { create: 0, update: 0, unchanged: 0 };
      // Rows that failed the read checks (a required cell empty, too long …) are not planned, so the
      // report's "would create" counts only rows that would be written.
      const unreadable = new Set(readErrors.map((e) => e.row));
      const readable = rows.filter((r) => !unreadable.has(Number(r.__row)));
      const plan = await this.plan(m, kind, readable, errors, counts, user);
      const bad = new Set(errors.map((e) => e.row));
      const report: ImportReport = {
        kind,
        rows: rows.length,
        valid: rows.filter((r) => !bad.has(Number(r.__row))).length,
        errors: errors.sort((a, b) => a.row - b.row),
        ...counts,
        applied: false,
      };
      if (!apply || errors.length) return report;
      for (const step of plan) await step();
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'import.applied',
        entityType: 'import',
        entityId: kind,
        after: { kind, rows: rows.length, ...counts },
        requestId,
      });
      return { ...report, applied: true };
    };
    if (!apply) return work(this.ds.manager);
    // One transaction; one import at a time (so two identical imports cannot both create).
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi:import'))`);
      return work(m);
    });
  }

  /** Checks every row against the database and returns the writes to make (run only when all rows are valid). */
  private async plan(
    m: EntityManager,
    kind: ImportKind,
    rows: Row[],
    errors: RowError[],
    counts: { create: number; update: number; unchanged: number },
    user: SessionUser,
  ): Promise<(() => Promise<void>)[]> {
    const cols = Object.fromEntries(COLUMNS[kind].map((c) => [c.key, c]));
    const steps: (() => Promise<void>)[] = [];
    const seen = new Map<string, number>();
    const dup = (key: string, row: number, col: Column) => {
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push(err(row, col, `与第 ${first} 行重复`, `duplicate of row ${first}`));
        return true;
      }
      seen.set(key, row);
      return false;
    };

    if (kind === 'deputies') {
      for (const r of rows) {
        const n = Number(r.__row);
        const level = r.level ? LEVELS[r.level.replace(/级$/, '')] : 'city';
        if (!level) {
          errors.push(
            err(n, cols.level!, '只能填写 全国、省、市、县（区）或乡镇', 'one of 全国, 省, 市, 县, 乡镇'),
          );
          continue;
        }
        if (dup(`${r.name}|${r.town}`, n, cols.name!)) continue;
        const found: { id: string; level: string; delegation: string }[] = await m.query(
          `SELECT id, level, delegation FROM deputies WHERE name = $1 AND town = $2 ORDER BY created_at LIMIT 1`,
          [r.name, r.town ?? ''],
        );
        const d = found[0];
        if (!d) {
          counts.create++;
          steps.push(async () => {
            await m.query(
              `INSERT INTO deputies (id, name, level, town, delegation) VALUES ($1,$2,$3,$4,$5)`,
              [randomUUID(), r.name, level, r.town ?? '', r.delegation ?? ''],
            );
          });
        } else if (d.level !== level || (r.delegation && d.delegation !== r.delegation)) {
          counts.update++;
          steps.push(async () => {
            await m.query(
              `UPDATE deputies SET level = $2, delegation = COALESCE(NULLIF($3, ''), delegation) WHERE id = $1`,
              [d.id, level, r.delegation ?? ''],
            );
          });
        } else counts.unchanged++;
      }
    }

    if (kind === 'units') {
      for (const r of rows) {
        const n = Number(r.__row);
        if (r.code && !/^[A-Za-z0-9_-]+$/.test(r.code)) {
          errors.push(
            err(n, cols.code!, '只能包含字母、数字、下划线和连字符', 'letters, digits, _ and - only'),
          );
          continue;
        }
        if (dup(`code|${r.code}`, n, cols.code!) || dup(`name|${r.name}`, n, cols.name!)) continue;
        const [byCode]: { id: string; name: string; remit: string }[] = await m.query(
          `SELECT id, name, remit FROM units WHERE code = $1`,
          [r.code],
        );
        const [byName]: { id: string; code: string }[] = await m.query(
          `SELECT id, code FROM units WHERE name = $1`,
          [r.name],
        );
        if (byName && byName.id !== byCode?.id) {
          errors.push(
            err(n, cols.name!, `已被单位编码 ${byName.code} 使用`, `already the name of unit ${byName.code}`),
          );
          continue;
        }
        if (!byCode) {
          counts.create++;
          steps.push(async () => {
            await m.query(`INSERT INTO units (id, code, name, remit) VALUES ($1,$2,$3,$4)`, [
              randomUUID(),
              r.code,
              r.name,
              r.remit ?? '',
            ]);
          });
        } else if (byCode.name !== r.name || (r.remit && byCode.remit !== r.remit)) {
          counts.update++;
          steps.push(async () => {
            await m.query(
              `UPDATE units SET name = $2, remit = COALESCE(NULLIF($3, ''), remit) WHERE id = $1`,
              [byCode.id, r.name, r.remit ?? ''],
            );
          });
        } else counts.unchanged++;
      }
    }

    if (kind === 'suggestions') {
      const deputy = async (name: string, town: string | undefined) =>
        (await m.query(
          `SELECT id FROM deputies WHERE name = $1 AND ($2::text = '' OR town = $2) ORDER BY id`,
          [name, town ?? ''],
        )) as { id: string }[];
      for (const r of rows) {
        const n = Number(r.__row);
        if (!r.lead || !r.title || !r.content) continue;
        const leads = await deputy(r.lead, r.leadTown);
        if (leads.length === 0) {
          errors.push(err(n, cols.lead!, `没有名为「${r.lead}」的代表`, `no deputy named ${r.lead}`));
          continue;
        }
        if (leads.length > 1) {
          errors.push(
            err(
              n,
              cols.lead!,
              '有重名代表，请填写镇（街道）',
              'several deputies have this name: give the town',
            ),
          );
          continue;
        }
        const leadId = leads[0]!.id;
        const cos: string[] = [];
        let ok = true;
        for (const name of splitNames(r.cosigners ?? '')) {
          const found = await deputy(name, undefined);
          if (found.length !== 1) {
            errors.push(
              err(
                n,
                cols.cosigners!,
                found.length ? `「${name}」有重名代表` : `没有名为「${name}」的代表`,
                found.length ? `several deputies are named ${name}` : `no deputy named ${name}`,
              ),
            );
            ok = false;
          } else if (found[0]!.id !== leadId && !cos.includes(found[0]!.id)) cos.push(found[0]!.id);
        }
        if (!ok || dup(`${leadId}|${r.title}`, n, cols.title!)) continue;
        const exists: unknown[] = await m.query(
          `SELECT 1 FROM suggestions WHERE lead_deputy_id = $1 AND title = $2 LIMIT 1`,
          [leadId, r.title],
        );
        if (exists.length) {
          counts.unchanged++;
          continue;
        }
        counts.create++;
        steps.push(async () => {
          const id = randomUUID();
          await this.suggestions.insert(m, {
            id,
            title: r.title!,
            content: r.content!,
            topic: r.topic ?? '',
            leadDeputyId: leadId,
            createdBy: user.id,
          });
          for (const c of cos)
            await m.query(`INSERT INTO suggestion_cosigners (suggestion_id, deputy_id) VALUES ($1, $2)`, [
              id,
              c,
            ]);
        });
      }
    }
    return steps;
  }
}
