/**
 * The stations' records (issue 11), signed in: a station's desk for a day and duty days served
 * (/api/stations), activities (/api/activities), training sessions (代表讲堂, /api/trainings).
 */
import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import {
  activityBody,
  activityListQuery,
  dayQuery,
  dutyAttendanceBody,
  dutyParams,
  stationRecordLabels,
  trainingAttendanceBody,
  trainingBody,
} from './contracts/station-records';
import { chinaToday } from './appointment.service';
import { currentUser, requireRole } from './http/auth';
import { idempotent } from './http/idempotency';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import type { StationRecordsService } from './station-records.service';

const rid = (req: Request) => req.requestId ?? null;

export function stationDeskRoutes(svc: StationRecordsService): Router {
  const r = Router();
  r.get('/:id/day', async (req, res) => {
    const id = pathId(req.params.id, 'station');
    const q = validate(dayQuery, req.query, stationRecordLabels);
    res.json(await svc.day(currentUser(req), id, q.day ?? chinaToday()));
  });
  r.post('/:id/duties/:dutyId/attendance', async (req, res) => {
    const user = currentUser(req);
    const p = dutyParams.safeParse(req.params);
    if (!p.success) throw problems.notFound('duty');
    const b = validate(dutyAttendanceBody, req.body, stationRecordLabels);
    await svc.dutyServed(user, p.data.id, p.data.dutyId, b.served, rid(req));
    res.json(await svc.day(user, p.data.id, (await svc.dutyDay(p.data.dutyId)) ?? chinaToday()));
  });
  return r;
}

export function activityRoutes(ds: DataSource, svc: StationRecordsService): Router {
  const r = Router();
  const readers = ['deputy', 'station_staff', 'reviewer', 'coordinator', 'supervisor', 'admin'];
  r.get('/', async (req, res) => {
    const user = requireRole(req, ...readers);
    const q = validate(activityListQuery, req.query, stationRecordLabels);
    res.json({ items: await svc.activities(user, q) });
  });
  r.post('/', async (req, res) => {
    const user = requireRole(req, 'deputy', 'station_staff');
    const b = validate(activityBody, req.body, stationRecordLabels);
    const out = await idempotent(
      ds,
      user.id,
      req.get('Idempotency-Key'),
      'activity.create',
      async (m) => ({ status: 201, body: await svc.recordActivity(user, b, m, rid(req)) }),
      b,
    );
    res.status(out.status).set('Idempotent-Replayed', String(out.replayed)).json(out.body);
  });
  return r;
}

export function trainingRoutes(ds: DataSource, svc: StationRecordsService): Router {
  const r = Router();
  const organisers = ['reviewer', 'admin'];
  r.get('/', async (req, res) => {
    requireRole(req, 'deputy', 'station_staff', 'reviewer', 'coordinator', 'supervisor', 'admin');
    res.json({ items: await svc.trainings({}) });
  });
  r.post('/', async (req, res) => {
    const user = requireRole(req, ...organisers);
    const b = validate(trainingBody, req.body, stationRecordLabels);
    const out = await idempotent(
      ds,
      user.id,
      req.get('Idempotency-Key'),
      'training.create',
      async (m) => ({ status: 201, body: await svc.createTraining(user, b, m, rid(req)) }),
      b,
    );
    res.status(out.status).set('Idempotent-Replayed', String(out.replayed)).json(out.body);
  });
  /** Adds attendance (deputies already recorded are kept and not credited again). */
  r.post('/:id/attendance', async (req, res) => {
    const user = requireRole(req, ...organisers);
    const id = pathId(req.params.id, 'training session');
    const b = validate(trainingAttendanceBody, req.body, stationRecordLabels);
    await ds.transaction((m) => svc.attend(user, id, b.deputyIds, m, rid(req)));
    res.json((await svc.trainings({ id }))[0]);
  });
  return r;
}
