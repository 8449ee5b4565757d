/**
 * Exports of the list views (导出), mounted at /api/exports beside export.routes.ts:
 * - GET /suggestions.xlsx  — any suggestion list as its caller sees it (deputy: own and co-signed;
 *   reviewer, coordinator, supervisor, admin: all; a unit: its own), with the list's filters
 *   (status, unit, deputy, town, session year, topic, overdue, key, q, sort); at most 10,000 rows;
 * - GET /supervision.xlsx  — the supervision lists (逾期 overdue / 临期 at-risk within N working days);
 * - GET /unit-inbox.xlsx   — a unit's inbox (收件箱) with its filters (keyword, open/done, sort);
 * - GET /messages.xlsx     — the constituent messages the caller sees (群众留言), with the inbox's
 *   filters; the constituent's name and phone only where the inbox shows them (the station's
 *   deputies and staff), never for units or overseers;
 * - GET /items.json        — the exchange format for provincial platforms (docs/exchange-format.md):
 *   the filtered items (at most 500) each with its full history as the caller may see it.
 * A confidential (涉密) item's title never leaves in a file (as the 交办清单). Every export is audited.
 */
import { Router, type Response } from 'express';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import {
  messageCategoryLabels,
  messageRatingLabels,
  messageStatusLabels,
  type MessageRating,
  statusLabels,
  type MessageCategory,
  type MessageStatus,
  type SuggestionStatus,
} from '@jianyi/domain';
import type { PolicyRegistry } from '@jianyi/domain';
import { isOverseer, loadWorkCalendar, ownUnit } from '@jianyi/platform';
import { currentUser, requireUnitUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { listExportQuery, supervisionExportQuery, unitInboxExportQuery } from './contracts/exports';
import { intakeFieldLabels, messageExportQuery } from './contracts/intake';
import { IntakeRepository } from './intake.repository';
import { UnitInboxRepository } from './unit-inbox.repository';
import { ExportRepository } from './export.repository';
import { CONFIDENTIAL_TITLE } from './export.routes';
import { StatsRepository } from './stats.repository';
import { SuggestionRepository, decodeCursor, listFilterOf } from './suggestion.repository';
import { TimelineService } from './timeline.service';
import { AttachmentService } from './attachments/attachment.service';

const MAX_ROWS = 10_000;
const MAX_EXCHANGE_ITEMS = 500;

const chinaDate = (v: Date | string | null | undefined): string =>
  v ? new Date(new Date(v).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '';

function xlsx(res: Response, ascii: string, zh: string) {
  res.status(200);
  res.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.set(
    'Content-Disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`,
  );
  res.set('Cache-Control', 'no-store');
}

/** The columns of a message row that the workbook shows (name and phone null where the caller may not see them). */
type ExportedMessage = {
  trackingCode: string;
  createdAt: string;
  stationName: string | null;
  category: string;
  content: string;
  status: string;
  claimerName: string | null;
  unitName: string | null;
  answeredAt: string | null;
  onTime: boolean | null;
  rating: string | null;
  name: string | null;
  phone: string | null;
};

/**
 * A workbook written to the response as its rows are added (exceljs' streaming writer, as the 交办清单):
 * the file is never built whole in memory. Called once the rows are read and the audit row written,
 * so a bad request or a failed read still answers with its status before the first byte.
 */
function streamWorkbook(res: Response, creator?: string): ExcelJS.stream.xlsx.WorkbookWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
  if (creator) wb.creator = creator;
  return wb;
}

/** Adds a row and sends it on (with the rows before it, the header among them). */
const addRow = (ws: ExcelJS.Worksheet, values: unknown[]) => ws.addRow(values).commit();

/** One worksheet with a bold, frozen header row of [header, width] columns. */
function sheet(wb: ExcelJS.Workbook, name: string, columns: [string, number][]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map(([header, width], i) => ({ header, key: `c${i}`, width }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** Reads a paged list page by page (at most 200 a page) until it ends or `max` rows are read. */
async function pages<T>(
  read: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
  max: number,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = [];
  for (let page = 1; ; page += 1) {
    const r = await read(page, 200);
    rows.push(...r.items);
    if (rows.length >= r.total || !r.items.length) return { rows, truncated: false };
    if (rows.length >= max) return { rows: rows.slice(0, max), truncated: true };
  }
}

export function listExportRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const inbox = new UnitInboxRepository(ds, opts.policies);
  const intake = new IntakeRepository(ds);
  const suggestions = new SuggestionRepository(ds);
  const stats = new StatsRepository(ds);
  const exportsRepo = new ExportRepository(ds);
  const timelines = new TimelineService(ds);
  const attachments = new AttachmentService(ds);

  /** Every row of the list the caller sees with filters `q`, page by page (keyset), up to `max`. */
  async function allRows(
    user: ReturnType<typeof currentUser>,
    q: ReturnType<typeof listExportQuery.parse>,
    max: number,
  ) {
    const out: Awaited<ReturnType<SuggestionRepository['list']>>['items'] = [];
    let after: unknown = undefined;
    for (;;) {
      const page = await suggestions.list(user, {
        ...listFilterOf(q),
        limit: Math.min(200, max - out.length),
        offset: 0,
        after: after as never,
      });
      out.push(...page.items);
      if (!page.nextCursor || out.length >= max || !page.items.length)
        return { rows: out, truncated: !!page.nextCursor && out.length >= max };
      after = decodeCursor(page.nextCursor);
      if (after === null) return { rows: out, truncated: true };
    }
  }

  r.get('/suggestions.xlsx', async (req, res) => {
    const user = currentUser(req);
    const q = validate(listExportQuery, req.query);
    const { rows, truncated } = await allRows(user, q, MAX_ROWS);
    await exportsRepo.recordExport(
      user,
      'export.list',
      { list: 'suggestions', filter: q, rows: rows.length, truncated },
      req.requestId ?? null,
    );
    xlsx(res, 'suggestions.xlsx', '建议列表.xlsx');
    const wb = streamWorkbook(res, '代表建议办理平台');
    const ws = wb.addWorksheet('建议列表', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      ['序号', 6],
      ['立案号', 16],
      ['标题', 40],
      ['领衔代表', 10],
      ['镇(街道)', 12],
      ['届次', 8],
      ['主题', 10],
      ['承办单位', 30],
      ['当前状态', 10],
      ['办理期限', 12],
      ['重点督办', 8],
      ['是否逾期', 8],
      ['提交时间', 12],
    ].map(([header, width], i) => ({ header: String(header), key: `c${i}`, width: Number(width) }));
    ws.getRow(1).font = { bold: true };
    const confidential = new Set<string>(
      rows.length
        ? (
            (await ds.query(`SELECT id FROM suggestions WHERE confidential AND id = ANY($1::uuid[])`, [
              rows.map((x) => x.id),
            ])) as { id: string }[]
          ).map((x) => x.id)
        : [],
    );
    rows.forEach((x, i) =>
      addRow(ws, [
        i + 1,
        x.registrationNo ?? '',
        confidential.has(x.id) ? CONFIDENTIAL_TITLE : x.title,
        x.leadDeputyName ?? '',
        x.town ?? '',
        x.sessionYear ?? '',
        x.topic,
        x.units
          .map((u) => `${u.unitName}(${u.role === 'co' ? '协办' : u.role === 'separate' ? '分办' : '主办'})`)
          .join('、'),
        statusLabels[x.status as SuggestionStatus]?.zh ?? x.status,
        chinaDate(x.deadlineAt),
        x.keySupervision ? '是' : '否',
        x.overdue ? '是' : '否',
        chinaDate(x.submittedAt),
      ]),
    );
    if (truncated) addRow(ws, [`（仅导出前 ${MAX_ROWS} 行，请缩小筛选范围）`]);
    ws.commit();
    await wb.commit();
  });

  r.get('/supervision.xlsx', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user) && !ownUnit(user))
      throw problems.forbidden(`role "${user.role}" may not read the supervision lists`);
    const q = validate(supervisionExportQuery, req.query);
    const calendar = await loadWorkCalendar(ds);
    const { items } = await stats.supervision(user, q.list, {
      calendar,
      withinWorkingDays: q.days,
      unitId: q.unitId,
      limit: MAX_ROWS,
      offset: 0,
    });
    await exportsRepo.recordExport(
      user,
      'export.list',
      { list: `supervision.${q.list}`, filter: q, rows: items.length },
      req.requestId ?? null,
    );
    const zh = q.list === 'overdue' ? '逾期件' : `临期件（${q.days}个工作日内）`;
    xlsx(res, `supervision-${q.list}.xlsx`, `督办-${zh}.xlsx`);
    const wb = streamWorkbook(res);
    const ws = wb.addWorksheet(zh, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      ['序号', 6],
      ['立案号', 16],
      ['标题', 40],
      ['领衔代表', 10],
      ['承办单位', 36],
      ['办理期限', 12],
      ['当前状态', 10],
      ['重点督办', 8],
      ['催办次数', 8],
      ['最近催办', 12],
    ].map(([header, width], i) => ({ header: String(header), key: `c${i}`, width: Number(width) }));
    ws.getRow(1).font = { bold: true };
    const confidential = new Set<string>(
      items.length
        ? (
            (await ds.query(`SELECT id FROM suggestions WHERE confidential AND id = ANY($1::uuid[])`, [
              items.map((x) => x.id),
            ])) as { id: string }[]
          ).map((x) => x.id)
        : [],
    );
    items.forEach((x, i) =>
      addRow(ws, [
        i + 1,
        x.registrationNo ?? '',
        confidential.has(x.id) ? CONFIDENTIAL_TITLE : x.title,
        x.leadDeputyName ?? '',
        x.units.map((u) => `${u.unitName}（期限 ${chinaDate(u.deadlineAt)}）`).join('、'),
        chinaDate(x.deadlineAt),
        statusLabels[x.status as SuggestionStatus]?.zh ?? x.status,
        x.keySupervision ? '是' : '否',
        x.urgeCount,
        chinaDate(x.lastUrgedAt),
      ]),
    );
    ws.commit();
    await wb.commit();
  });

  r.get('/unit-inbox.xlsx', async (req, res) => {
    const user = currentUser(req);
    const unitId = requireUnitUser(user, "only a unit's people have an inbox");
    const q = validate(unitInboxExportQuery, req.query);
    const { rows, truncated } = await pages(
      (page, pageSize) => inbox.list(unitId, { ...q, page, pageSize }),
      MAX_ROWS,
    );
    await exportsRepo.recordExport(
      user,
      'export.list',
      { list: 'unit-inbox', filter: q, rows: rows.length, truncated },
      req.requestId ?? null,
    );
    xlsx(res, 'unit-inbox.xlsx', '收件箱.xlsx');
    const wb = streamWorkbook(res, '代表建议办理平台');
    const ws = sheet(wb, '收件箱', [
      ['序号', 6],
      ['立案号', 16],
      ['标题', 40],
      ['领衔代表', 10],
      ['承办方式', 8],
      ['轮次', 6],
      ['本单位状态', 10],
      ['建议状态', 10],
      ['交办日期', 12],
      ['签收日期', 12],
      ['办理期限', 12],
      ['重点督办', 8],
    ]);
    const roleZh: Record<string, string> = { lead: '主办', co: '协办', separate: '分办' };
    const partZh: Record<string, string> = {
      pending: '待签收',
      signed_in: '办理中',
      replied: '已答复',
      opinion_sent: '已提交意见',
      reassigned: '已调整',
      closed: '已结束',
    };
    type Part = (typeof rows)[number] & {
      id: string;
      registrationNo: string | null;
      leadDeputyName: string | null;
      role: string;
      round: number;
      status: string;
      assignedAt: Date | string | null;
      signedInAt: Date | string | null;
      keySupervision: boolean;
    };
    const confidential = await confidentialOf(rows.map((x) => (x as Part).id));
    rows.forEach((x, i) => {
      const row = x as Part;
      addRow(ws, [
        i + 1,
        row.registrationNo ?? '',
        confidential.has(row.id) ? CONFIDENTIAL_TITLE : row.title,
        row.leadDeputyName ?? '',
        roleZh[row.role] ?? row.role,
        row.round,
        partZh[row.assignmentStatus] ?? row.assignmentStatus,
        statusLabels[row.status as SuggestionStatus]?.zh ?? row.status,
        chinaDate(row.assignedAt),
        chinaDate(row.signedInAt),
        chinaDate(row.deadlineAt),
        row.keySupervision ? '是' : '否',
      ]);
    });
    if (truncated) addRow(ws, [`（仅导出前 ${MAX_ROWS} 行，请缩小筛选范围）`]);
    ws.commit();
    await wb.commit();
  });

  r.get('/messages.xlsx', async (req, res) => {
    const user = currentUser(req);
    const q = validate(messageExportQuery, req.query, intakeFieldLabels);
    const { rows, truncated } = await pages(async (page, pageSize) => {
      const out = await intake.listMessages(user, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
      return { items: out.rows as unknown as ExportedMessage[], total: out.total };
    }, MAX_ROWS);
    // Name and phone are in the rows only where the caller handles the message (the repository's rule):
    // the columns are left out altogether when no row carries them.
    const personal = rows.some((m) => m.name !== null || m.phone !== null);
    await exportsRepo.recordExport(
      user,
      'export.list',
      { list: 'messages', filter: q, rows: rows.length, truncated, personal },
      req.requestId ?? null,
    );
    xlsx(res, 'messages.xlsx', '群众留言.xlsx');
    const wb = streamWorkbook(res, '代表建议办理平台');
    const ws = sheet(wb, '群众留言', [
      ['序号', 6],
      ['查询码', 12],
      ['留言时间', 12],
      ['站点', 16],
      ['类别', 10],
      ['留言内容', 50],
      ['状态', 12],
      ['认领人', 10],
      ['转交单位', 16],
      ['答复日期', 12],
      ['按时答复', 8],
      ['评价', 8],
      ...(personal
        ? ([
            ['留言人', 10],
            ['手机号码', 14],
          ] as [string, number][])
        : []),
    ]);
    rows.forEach((m, i) =>
      addRow(ws, [
        i + 1,
        m.trackingCode,
        chinaDate(m.createdAt),
        m.stationName ?? '',
        messageCategoryLabels[m.category as MessageCategory] ?? m.category,
        m.content,
        messageStatusLabels[m.status as MessageStatus] ?? m.status,
        m.claimerName ?? '',
        m.unitName ?? '',
        chinaDate(m.answeredAt),
        m.onTime === null ? '' : m.onTime ? '是' : '否',
        m.rating ? (messageRatingLabels[m.rating as MessageRating] ?? m.rating) : '',
        ...(personal ? [m.name ?? '', m.phone ?? ''] : []),
      ]),
    );
    if (truncated) addRow(ws, [`（仅导出前 ${MAX_ROWS} 行，请缩小筛选范围）`]);
    ws.commit();
    await wb.commit();
  });

  /** The ids among `ids` of confidential (涉密) items, whose titles never leave in a file. */
  async function confidentialOf(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await ds.query(
      `SELECT id FROM suggestions WHERE confidential AND id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((x) => x.id));
  }

  r.get('/items.json', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user))
      throw problems.forbidden('the exchange export is for the congress office and supervisors');
    const q = validate(listExportQuery, req.query);
    const { rows, truncated } = await allRows(user, q, MAX_EXCHANGE_ITEMS);
    const items = [];
    for (const row of rows) {
      const t = await timelines.timeline(user, row.id);
      if (!t) continue;
      const files = await attachments.listForItem(user, row.id);
      items.push({
        ...t.suggestion,
        history: t.steps,
        assignments: t.assignments,
        contacts: t.contacts,
        opinions: t.opinions,
        replies: t.replies,
        evaluations: t.evaluations,
        requests: t.requests,
        attachments: files.map((a) => ({
          id: a.id,
          ownerType: a.ownerType,
          ownerId: a.ownerId,
          unitName: a.unitName,
          fileName: a.fileName,
          mediaType: a.mediaType,
          sizeBytes: a.sizeBytes,
          createdAt: a.createdAt,
          url: a.url,
        })),
      });
    }
    await exportsRepo.recordExport(
      user,
      'export.exchange',
      { filter: q, items: items.length, truncated },
      req.requestId ?? null,
    );
    res.set('Content-Disposition', 'attachment; filename="jianyi-exchange.json"');
    res.set('Cache-Control', 'no-store');
    res.json({
      format: 'jianyi-exchange',
      version: 1,
      exportedAt: new Date().toISOString(),
      truncated,
      items,
    });
  });
  return r;
}
