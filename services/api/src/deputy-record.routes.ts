/**
 * 履职档案 (mounted at /api after requireUser): a deputy's record as JSON, xlsx and PDF, for the deputy
 * themself and for reviewers, supervisors and admins (as the deputy's points); another deputy 403.
 */
import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { audit } from '@jianyi/platform';
import { recordQuery, stationRecordLabels } from './contracts/station-records';
import { DeputyRecordService } from './deputy-record.service';
import { currentUser, requireRole } from './http/auth';
import { pathId, validate } from './http/validate';
import { periodLabel, recordWorkbook, renderRecord } from './print/record';

export function deputyRecordRoutes(ds: DataSource): Router {
  const svc = new DeputyRecordService(ds);
  const r = Router();
  /** The deputy asked for, if the caller may read their record (the deputy, reviewer, supervisor, admin). */
  const allowed = (req: Request) => {
    const user = currentUser(req);
    const id = pathId(String(req.params.id), 'deputy');
    if (!(user.role === 'deputy' && user.deputyId === id))
      requireRole(req, 'reviewer', 'supervisor', 'admin');
    const { year } = validate(recordQuery, req.query, stationRecordLabels);
    return { user, id, year: year ?? null };
  };
  r.get('/deputies/:id/record', async (req, res) => {
    const a = allowed(req);
    res.json(await svc.record(a.id, a.year));
  });
  const file = async (req: Request, kind: 'xlsx' | 'pdf') => {
    const a = allowed(req);
    const record = await svc.record(a.id, a.year);
    // The record leaves the platform: who took it is in the audit log.
    await ds.transaction((m) =>
      audit(m, {
        actorUserId: a.user.id,
        actorRole: a.user.role,
        action: `deputy.record_export_${kind}`,
        entityType: 'deputy',
        entityId: a.id,
        after: { year: a.year },
        requestId: req.requestId ?? null,
      }),
    );
    return {
      record,
      name: encodeURIComponent(`${record.deputy.name}履职档案-${periodLabel(record)}.${kind}`),
    };
  };
  r.get('/deputies/:id/record.xlsx', async (req, res) => {
    const { record, name } = await file(req, 'xlsx');
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', `attachment; filename*=UTF-8''${name}`)
      .send(await recordWorkbook(record));
  });
  r.get('/deputies/:id/record.pdf', async (req, res) => {
    const { record, name } = await file(req, 'pdf');
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename*=UTF-8''${name}`)
      .send(await renderRecord(record));
  });
  return r;
}
