/** Contracts of /api/audit (审计日志): who did what, when, to which record, and which access was refused. */
import { z } from 'zod';
import { optionalQuery, page, queryInt } from './common';

export const auditLabels = {
  actorUserId: '操作人',
  entityId: '对象',
  action: '操作',
  from: '起始时间',
  to: '截止时间',
  page: '页码',
  pageSize: '每页条数',
};

/** GET /api/audit and /api/audit/export.xlsx: filters (all optional) and the page. */
export const auditQuery = z.object({
  actorUserId: optionalQuery(z.uuid()),
  /** The record acted on: an item, unit or user id (or a login name). */
  entityId: optionalQuery(z.string().trim().min(1).max(64)),
  /** An action or its prefix ending in '.', e.g. `auth.` or `access.refused`. */
  action: optionalQuery(
    z
      .string()
      .trim()
      .regex(/^[a-z_.]{1,64}$/, 'letters, "_" and "." only'),
  ),
  from: optionalQuery(z.iso.datetime({ offset: true }).or(z.iso.date())),
  to: optionalQuery(z.iso.datetime({ offset: true }).or(z.iso.date())),
  page: queryInt(1, 10_000).default(1),
  pageSize: queryInt(1, 200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorUserId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});
export const auditPage = page(auditEntry);
export type AuditEntry = z.infer<typeof auditEntry>;
