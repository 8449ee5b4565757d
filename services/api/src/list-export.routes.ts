/**
 * Exports of the list views (导出), mounted at /api/exports beside export.routes.ts:
 * - GET /suggestions.xlsx  — any suggestion list as its caller sees it (deputy: own and co-signed;
 *   reviewer, coordinator, supervisor, admin: all; a unit: its own), with the list's filters
 *   (status, unit, deputy, town, session year, topic, overdue, key, q, sort); at most 10,000 rows;
 * - GET /supervision.xlsx  — the supervision lists (逾期 overdue / 临期 at-risk within N working days);
 * - GET /items.json        — the exchange format for provincial platforms (docs/exchange-format.md):
 *   the filtered items (at most 500) each with its full history as the caller may see it.
 * A confidential (涉密) item's title never leaves in a file (as the 交办清单). Every export is audited.
 */
import { Router, type Response } from 'express';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { statusLabels, type SuggestionStatus } from '@jianyi/domain';
import { isOverseer, loadWorkCalendar, ownUnit } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { listExportQuery, supervisionExportQuery } from './contracts/exports';
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

export function listExportRoutes(ds: DataSource): Router {
  const r = Router();
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
    const wb = new ExcelJS.Workbook();
    wb.creator = '代表建议办理平台';
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
      ws.addRow([
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
    if (truncated) ws.addRow([`（仅导出前 ${MAX_ROWS} 行，请缩小筛选范围）`]);
    res.send(Buffer.from(await wb.xlsx.writeBuffer()));
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
    const wb = new ExcelJS.Workbook();
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
      ws.addRow([
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
    res.send(Buffer.from(await wb.xlsx.writeBuffer()));
  });

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
