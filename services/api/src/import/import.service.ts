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
 *
 * Historical items (历史建议及答复, matched by 立案号) enter closed: the item with its signers, the
 * lead unit's part replied and the co-handlers' closed, the sent reply with its category, the lead
 * deputy's rating, and one `suggestion.imported` event (历史导入) on the timeline. No workflow is
 * started (the process is over) and the event is written as already relayed, so nobody is notified.
 * Published (答复公开) unless the row says 不公开; the text is indexed as any item's, so duplicate
 * detection and the unit recommendation learn from them.
 *
 * 代表讲堂 attendance (training): one row per deputy and session; a session is matched by its title and
 * day (made when new), a deputy by name (+ 镇/街道); attendance already recorded is unchanged, so a
 * re-import credits nothing twice. The writes go through StationRecordsService, so each session's new
 * attendees get their `station.training_attended` event (points) as when recorded by hand.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import { appendOutbox, audit, type SessionUser } from '@jianyi/platform';
import type { SuggestionEvent } from '@jianyi/domain';
import { HttpProblem, problems } from '../http/problem';
import { SuggestionRepository } from '../suggestion.repository';
import type { StationRecordsService } from '../station-records.service';
import { chinaToday } from '../appointment.service';

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

/** The lead deputy and the co-signers: the same three columns on paper suggestions and historical items. */
function signerColumns(cosignersExample: string): Column[] {
  return [
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
      example: cosignersExample,
      note: '多人用顿号或逗号分隔',
    },
  ];
}

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
    ...signerColumns('李秀英、张志强'),
    { key: 'topic', header: '主题', headerEn: 'topic', max: 32, example: '城乡建设' },
  ],
  history: [
    {
      key: 'sessionYear',
      header: '届次年份',
      headerEn: 'session year',
      required: true,
      max: 4,
      example: '2025',
    },
    {
      key: 'registrationNo',
      header: '立案号',
      headerEn: 'registration number',
      required: true,
      max: 32,
      example: '2025-第0012号',
      note: '唯一；重复导入时按立案号识别',
    },
    {
      key: 'title',
      header: '标题',
      headerEn: 'title',
      required: true,
      max: 200,
      example: '关于改善城区公交线路的建议',
    },
    {
      key: 'content',
      header: '内容',
      headerEn: 'content',
      required: true,
      max: 20000,
      example: '部分小区距离公交站较远，建议优化线路。',
    },
    ...signerColumns('李秀英'),
    {
      key: 'leadUnit',
      header: '主办单位',
      headerEn: 'lead unit',
      required: true,
      max: 100,
      example: '市交通运输局',
      note: '单位名称或单位编码',
    },
    {
      key: 'coUnits',
      header: '协办单位',
      headerEn: 'co-handling units',
      max: 1000,
      example: '',
      note: '多个用顿号或逗号分隔',
    },
    {
      key: 'reply',
      header: '答复内容',
      headerEn: 'reply',
      required: true,
      max: 20000,
      example: '已新增 2 条公交线路，覆盖相关小区。',
    },
    {
      key: 'replyDate',
      header: '答复日期',
      headerEn: 'reply date',
      required: true,
      max: 10,
      example: '2025-06-20',
      note: 'YYYY-MM-DD',
    },
    {
      key: 'category',
      header: '答复类别',
      headerEn: 'category',
      required: true,
      max: 1,
      example: 'A',
      note: 'A 已解决或采纳 / B 正在解决或列入计划 / C 因条件限制暂时无法解决 / D 留作参考',
    },
    {
      key: 'rating',
      header: '满意度',
      headerEn: 'rating',
      max: 8,
      example: '满意',
      note: '满意 / 基本满意 / 不满意 / 未反馈；空为未反馈',
    },
    {
      key: 'closedDate',
      header: '办结日期',
      headerEn: 'closed date',
      required: true,
      max: 10,
      example: '2025-07-15',
      note: 'YYYY-MM-DD，不早于答复日期',
    },
    { key: 'topic', header: '主题', headerEn: 'topic', max: 32, example: '交通' },
    {
      key: 'publish',
      header: '答复公开',
      headerEn: 'published',
      max: 4,
      example: '是',
      note: '是 / 否（涉密或代表不同意公开时填否）；空为是',
    },
  ],
  training: [
    {
      key: 'title',
      header: '培训名称',
      headerEn: 'session title',
      required: true,
      max: 100,
      example: '代表讲堂：人大代表如何提出高质量建议',
      note: '同名同日的培训视为同一场',
    },
    {
      key: 'day',
      header: '培训日期',
      headerEn: 'session date',
      required: true,
      max: 10,
      example: '2026-11-20',
      note: 'YYYY-MM-DD，不晚于今天',
    },
    { key: 'venue', header: '地点', headerEn: 'venue', max: 100, example: '市人大常委会会议室' },
    { key: 'speaker', header: '主讲人', headerEn: 'speaker', max: 50, example: '刘明' },
    { key: 'deputy', header: '代表姓名', headerEn: 'deputy', required: true, max: 50, example: '王建国' },
    {
      key: 'deputyTown',
      header: '代表镇（街道）',
      headerEn: "deputy's town",
      max: 50,
      example: '',
      note: '代表重名时填写',
    },
  ],
};

const RATINGS: Record<string, string> = {
  满意: 'satisfied',
  基本满意: 'basically_satisfied',
  不满意: 'unsatisfied',
  未反馈: 'no_feedback',
};

/** A calendar date as YYYY-MM-DD (Excel dates come as text such as 2025-06-20 or 2025/6/20), or null. */
function isoDate(v: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v.trim());
  if (m) {
    const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    // A month or day out of range (2026-13-40) is an invalid Date, whose toISOString throws.
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d ? d : null;
  }
  // A date cell: exceljs gives its text as the JavaScript date string.
  const t = Date.parse(v);
  if (Number.isNaN(t) || !/\d{4}/.test(v)) return null;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

export const KIND_LABELS: Record<ImportKind, string> = {
  deputies: '代表',
  units: '承办单位',
  suggestions: '代表建议（纸质提交）',
  history: '历史建议及答复',
  training: '代表讲堂出勤',
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

/** The deputies of a name (in a town when given): one is a match, none or several an error of the row. */
const deputiesNamed = (m: EntityManager, name: string, town: string | undefined) =>
  m.query(`SELECT id FROM deputies WHERE name = $1 AND ($2::text = '' OR town = $2) ORDER BY id`, [
    name,
    town ?? '',
  ]) as Promise<{ id: string }[]>;

/** What a kind's planner works on: the rows, where errors and counts go, the writes it plans. */
interface PlanContext {
  m: EntityManager;
  rows: Row[];
  cols: Record<string, Column>;
  errors: RowError[];
  counts: { create: number; update: number; unchanged: number };
  steps: (() => Promise<void>)[];
  dup: (key: string, row: number, col: Column) => boolean;
  user: SessionUser;
}

const splitNames = (v: string) =>
  v
    .split(/[、,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export class ImportService {
  private suggestions: SuggestionRepository;
  /** `records` writes training attendance (the training kind is refused without it). */
  constructor(
    private ds: DataSource,
    private records?: StationRecordsService,
  ) {
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
      const deputy = (name: string, town: string | undefined) => deputiesNamed(m, name, town);
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
    const ctx: PlanContext = { m, rows, cols, errors, counts, steps, dup, user };
    if (kind === 'history') await this.planHistory(ctx);
    if (kind === 'training') await this.planTraining(ctx);
    return steps;
  }

  /** 代表讲堂 attendance: each row's session and deputy; one write per session with its new attendees. */
  private async planTraining({ m, rows, cols, errors, counts, steps, dup, user }: PlanContext) {
    const records = this.records;
    if (!records) throw new Error('the training import needs the stations records service');
    const today = chinaToday();
    const sessions = new Map<
      string,
      { id: string | null; title: string; day: string; venue: string; speaker: string; deputyIds: string[] }
    >();
    for (const r of rows) {
      const n = Number(r.__row);
      const day = isoDate(r.day ?? '');
      if (!day) {
        errors.push(err(n, cols.day!, '日期格式应为 YYYY-MM-DD', 'a date as YYYY-MM-DD'));
        continue;
      }
      if (day > today) {
        errors.push(err(n, cols.day!, '培训尚未举行，不能登记出勤', 'the session has not taken place yet'));
        continue;
      }
      const found = await deputiesNamed(m, r.deputy!, r.deputyTown);
      if (found.length !== 1) {
        errors.push(
          found.length
            ? err(
                n,
                cols.deputy!,
                '有重名代表，请填写代表镇（街道）',
                'several deputies have this name: give the town',
              )
            : err(n, cols.deputy!, `没有名为「${r.deputy}」的代表`, `no deputy named ${r.deputy}`),
        );
        continue;
      }
      const deputyId = found[0]!.id;
      if (dup(`${r.title}|${day}|${deputyId}`, n, cols.deputy!)) continue;
      const key = `${r.title}|${day}`;
      let s = sessions.get(key);
      if (!s) {
        const [existing]: { id: string }[] = await m.query(
          `SELECT id FROM training_sessions WHERE title = $1 AND day = $2`,
          [r.title, day],
        );
        s = {
          id: existing?.id ?? null,
          title: r.title!,
          day,
          venue: r.venue ?? '',
          speaker: r.speaker ?? '',
          deputyIds: [],
        };
        sessions.set(key, s);
      }
      const attended: unknown[] = s.id
        ? await m.query(`SELECT 1 FROM training_attendance WHERE session_id = $1 AND deputy_id = $2`, [
            s.id,
            deputyId,
          ])
        : [];
      if (attended.length) counts.unchanged++;
      else {
        counts.create++;
        s.deputyIds.push(deputyId);
      }
    }
    for (const s of sessions.values()) {
      if (!s.deputyIds.length) continue;
      steps.push(async () => {
        if (s.id) await records.attend(user, s.id, s.deputyIds, m, null);
        else await records.createTraining(user, s, m, null);
      });
    }
  }

  /** 历史建议及答复: each row checked against the database; the writes of the rows to create. */
  private async planHistory({ m, rows, cols, errors, counts, steps, dup, user }: PlanContext) {
    const deputy = (name: string, town: string | undefined) => deputiesNamed(m, name, town);
    const unit = async (v: string) =>
      (await m.query(`SELECT id FROM units WHERE (name = $1 OR code = $1) AND active ORDER BY id`, [v])) as {
        id: string;
      }[];
    for (const r of rows) {
      const n = Number(r.__row);
      const bad = (key: string, zh: string, en: string) => {
        errors.push(err(n, cols[key]!, zh, en));
        return false;
      };
      let ok = true;
      const year = Number(r.sessionYear);
      if (!/^\d{4}$/.test(r.sessionYear ?? '') || year < 1980 || year > 2100)
        ok = bad('sessionYear', '应为四位年份，如 2025', 'a four-digit year such as 2025');
      const replyDate = isoDate(r.replyDate ?? '');
      const closedDate = isoDate(r.closedDate ?? '');
      if (!replyDate) ok = bad('replyDate', '日期格式应为 YYYY-MM-DD', 'a date as YYYY-MM-DD');
      if (!closedDate) ok = bad('closedDate', '日期格式应为 YYYY-MM-DD', 'a date as YYYY-MM-DD');
      else if (replyDate && closedDate < replyDate)
        ok = bad('closedDate', '不能早于答复日期', 'not before the reply date');
      const category = (r.category ?? '').toUpperCase();
      if (!['A', 'B', 'C', 'D'].includes(category))
        ok = bad('category', '只能填写 A、B、C 或 D', 'one of A, B, C, D');
      const rating = r.rating ? RATINGS[r.rating] : 'no_feedback';
      if (!rating)
        ok = bad(
          'rating',
          '只能填写 满意、基本满意、不满意 或 未反馈',
          'one of 满意, 基本满意, 不满意, 未反馈',
        );
      const publish = !r.publish || r.publish === '是' ? true : r.publish === '否' ? false : null;
      if (publish === null) ok = bad('publish', '只能填写 是 或 否', 'one of 是, 否');
      if (!ok) continue;
      const leads = await deputy(r.lead!, r.leadTown);
      if (leads.length !== 1) {
        bad(
          'lead',
          leads.length ? '有重名代表，请填写镇（街道）' : `没有名为「${r.lead}」的代表`,
          leads.length ? 'several deputies have this name: give the town' : `no deputy named ${r.lead}`,
        );
        continue;
      }
      const leadId = leads[0]!.id;
      const cos: string[] = [];
      for (const name of splitNames(r.cosigners ?? '')) {
        const found = await deputy(name, undefined);
        if (found.length !== 1)
          ok = bad(
            'cosigners',
            found.length ? `「${name}」有重名代表` : `没有名为「${name}」的代表`,
            found.length ? `several deputies are named ${name}` : `no deputy named ${name}`,
          );
        else if (found[0]!.id !== leadId && !cos.includes(found[0]!.id)) cos.push(found[0]!.id);
      }
      const leadUnits = await unit(r.leadUnit!);
      if (leadUnits.length !== 1) {
        bad('leadUnit', `没有名称或编码为「${r.leadUnit}」的单位`, `no unit named or coded ${r.leadUnit}`);
        continue;
      }
      const leadUnitId = leadUnits[0]!.id;
      const coUnits: string[] = [];
      for (const name of splitNames(r.coUnits ?? '')) {
        const found = await unit(name);
        if (found.length !== 1)
          ok = bad('coUnits', `没有名称或编码为「${name}」的单位`, `no unit named or coded ${name}`);
        else if (found[0]!.id === leadUnitId)
          ok = bad('coUnits', '主办单位不能同时是协办单位', 'the lead unit cannot also be a co-handler');
        else if (!coUnits.includes(found[0]!.id)) coUnits.push(found[0]!.id);
      }
      if (!ok || dup(`regno|${r.registrationNo}`, n, cols.registrationNo!)) continue;
      const [existing]: { title: string; status: string }[] = await m.query(
        `SELECT title, status FROM suggestions WHERE registration_no = $1`,
        [r.registrationNo],
      );
      if (existing) {
        // The same number again: the item of an earlier import (unchanged), or another item's number.
        if (existing.title === r.title && ['closed', 'published'].includes(existing.status))
          counts.unchanged++;
        else bad('registrationNo', '该立案号已被另一件建议使用', 'another item has this registration number');
        continue;
      }
      counts.create++;
      steps.push(() =>
        this.writeHistory(m, user, r, {
          year,
          replyDate: replyDate!,
          closedDate: closedDate!,
          category,
          rating: rating!,
          publish: publish!,
          leadId,
          cos,
          leadUnitId,
          coUnits,
        }),
      );
    }
  }

  /** One historical item: the record, its parts, the sent reply, the rating and the 历史导入 event. */
  private async writeHistory(
    m: EntityManager,
    user: SessionUser,
    r: Row,
    h: {
      year: number;
      replyDate: string;
      closedDate: string;
      category: string;
      rating: string;
      publish: boolean;
      leadId: string;
      cos: string[];
      leadUnitId: string;
      coUnits: string[];
    },
  ): Promise<void> {
    const id = randomUUID();
    // Dates of the archive are calendar days in China; noon keeps them on that day in any display.
    const at = (d: string) => `${d}T12:00:00+08:00`;
    const status = h.publish ? 'published' : 'closed';
    await this.suggestions.insert(m, {
      id,
      title: r.title!,
      content: r.content!,
      topic: r.topic ?? '',
      leadDeputyId: h.leadId,
      createdBy: user.id,
    });
    await m.query(
      `UPDATE suggestions SET status = $2, registration_no = $3, session_year = $4, submitted_at = $5,
         updated_at = $6, confidential = false, round = 1 WHERE id = $1`,
      [id, status, r.registrationNo, h.year, at(h.replyDate), at(h.closedDate)],
    );
    for (const c of h.cos)
      await m.query(`INSERT INTO suggestion_cosigners (suggestion_id, deputy_id) VALUES ($1, $2)`, [id, c]);
    const parts = [
      { unitId: h.leadUnitId, role: 'lead', status: 'replied' },
      ...h.coUnits.map((u) => ({ unitId: u, role: 'co', status: 'closed' })),
    ];
    for (const p of parts)
      await m.query(
        `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, assigned_at, signed_in_at, ended_at)
         VALUES ($1,$2,$3,$4,1,$5,$6,$6,$6)`,
        [randomUUID(), id, p.unitId, p.role, p.status, at(h.replyDate)],
      );
    await m.query(
      `INSERT INTO replies (id, suggestion_id, unit_id, round, kind, category, body, drafted_by, signed_at, sent_at)
       VALUES ($1,$2,$3,1,'reply',$4,$5,$6,$7,$7)`,
      [randomUUID(), id, h.leadUnitId, h.category, r.reply, user.id, at(h.replyDate)],
    );
    await m.query(
      `INSERT INTO evaluations (id, suggestion_id, round, rating, comment, rated_by) VALUES ($1,$2,1,$3,NULL,NULL)`,
      [randomUUID(), id, h.rating],
    );
    const event = {
      id: randomUUID(),
      version: 1,
      type: 'suggestion.imported',
      suggestionId: id,
      occurredAt: new Date().toISOString(),
      actor: { userId: user.id, role: user.role, name: user.displayName },
      policyVersion: 'import',
      data: {
        from: 'draft',
        to: status,
        audience: { deputyIds: [h.leadId, ...h.cos], unitIds: parts.map((p) => p.unitId) },
        registrationNo: r.registrationNo!,
        sessionYear: h.year,
        replyDate: h.replyDate,
        closedDate: h.closedDate,
      },
    } as SuggestionEvent;
    await appendOutbox(m, event);
    // History, not news: the relay skips it (no notice, no points, no live push); the timeline reads it.
    await m.query(`UPDATE outbox SET published_at = now() WHERE event_id = $1`, [event.id]);
  }
}
