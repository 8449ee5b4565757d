/**
 * 审计日志 (issue 10; ASVS V7): the admin and supervisors read who did what, when, to which record —
 * every write, sign-in, export and refused access is a row — filtered by actor, record, action and time,
 * on the page or as an .xlsx export (itself audited). Mounted at /api/audit after requireUser.
 */
import { Router } from 'express';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { inRoleSet } from '@jianyi/domain';
import { audit } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { auditLabels, auditQuery, type AuditEntry, type AuditQuery } from './contracts/audit';

const EXPORT_MAX = 50_000;

export class AuditRepository {
  constructor(private ds: DataSource) {}

  private where(q: AuditQuery): { sql: string; params: unknown[] } {
    const w: string[] = [];
    const params: unknown[] = [];
    const add = (cond: (n: number) => string, v: unknown) => {
      params.push(v);
      w.push(cond(params.length));
    };
    if (q.actorUserId) add((n) => `a.actor_user_id = $${n}`, q.actorUserId);
    if (q.entityId) add((n) => `a.entity_id = $${n}`, q.entityId);
    if (q.action?.endsWith('.')) add((n) => `a.action LIKE $${n}`, `${q.action.replace(/_/g, '\\_')}%`);
    else if (q.action) add((n) => `a.action = $${n}`, q.action);
    if (q.from)
      add((n) => `a.at >= $${n}::timestamptz`, q.from.length === 10 ? `${q.from}T00:00:00+08:00` : q.from);
    if (q.to) add((n) => `a.at < $${n}::timestamptz`, q.to.length === 10 ? `${q.to}T24:00:00+08:00` : q.to);
    return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params };
  }

  async page(q: AuditQuery, limit: number, offset: number): Promise<{ items: AuditEntry[]; total: number }> {
    const { sql, params } = this.where(q);
    const [items, count] = await Promise.all([
      this.ds.query(
        `SELECT a.id::text AS id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
                a.actor_user_id AS "actorUserId", u.display_name AS "actorName", a.actor_role AS "actorRole",
                a.action, a.entity_type AS "entityType", a.entity_id AS "entityId", a.before, a.after,
                a.request_id AS "requestId"
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id ${sql}
         ORDER BY a.id DESC LIMIT ${limit}::int OFFSET ${offset}::int`,
        params,
      ),
      this.ds.query(`SELECT count(*)::int AS n FROM audit_log a ${sql}`, params),
    ]);
    return { items, total: count[0].n };
  }
}

export function auditRoutes(ds: DataSource): Router {
  const r = Router();
  const repo = new AuditRepository(ds);
  const auditor = (req: Parameters<typeof currentUser>[0]) => {
    const u = currentUser(req);
    if (!inRoleSet('auditors', u.role))
      throw problems.forbidden('only the admin and supervisors read the audit log');
    return u;
  };

  r.get('/', async (req, res) => {
    auditor(req);
    const q = validate(auditQuery, req.query, auditLabels);
    const { items, total } = await repo.page(q, q.pageSize, (q.page - 1) * q.pageSize);
    res.json({ items, total, page: q.page, pageSize: q.pageSize });
  });

  r.get('/export.xlsx', async (req, res) => {
    const user = auditor(req);
    const q = validate(auditQuery, req.query, auditLabels);
    const { items } = await repo.page(q, EXPORT_MAX, 0);
    await audit(ds.manager, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'export.audit_log',
      entityType: 'audit_log',
      entityId: null,
      after: { filter: { ...q, page: undefined, pageSize: undefined }, rows: items.length },
      requestId: req.requestId ?? null,
    });
    res.status(200);
    res.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.set(
      'Content-Disposition',
      `attachment; filename="audit-log.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`,
    );
    res.set('Cache-Control', 'no-store');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
    wb.creator = '代表建议办理平台';
    const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      '时间(UTC)',
      '操作人',
      '角色',
      '操作',
      '对象类型',
      '对象',
      '变更前',
      '变更后',
      '请求编号',
    ].map((header, i) => ({ header, key: `c${i}`, width: [22, 14, 12, 26, 12, 38, 40, 40, 38][i] }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const e of items)
      ws.addRow([
        e.at,
        e.actorName ?? e.actorUserId ?? '系统',
        e.actorRole ?? '',
        e.action,
        e.entityType,
        e.entityId ?? '',
        e.before ? JSON.stringify(e.before) : '',
        e.after ? JSON.stringify(e.after) : '',
        e.requestId ?? '',
      ]).commit();
    await wb.commit();
  });
  return r;
}
