/**
 * 约见 routes. Public (mounted at /api/intake with the intake's rate limit, no login): the duty slots
 * of a QR target, booking one, following it by tracking code. Signed in (/api/appointments): the
 * list and one appointment (the deputy's own, the station staff's stations', all for overseers),
 * booking for a constituent (station staff), the deputy's confirmation or refusal, the staff's
 * attendance record.
 */
import { Router, type Request } from 'express';
import { config } from '@jianyi/platform';
import { TRACKING_CODE_LENGTH } from '@jianyi/domain';
import {
  appointmentBody,
  appointmentListQuery,
  attendanceBody,
  declineBody,
  stationRecordLabels,
  staffAppointmentBody,
  appointmentTrackParams,
} from './contracts/station-records';
import { targetParams } from './contracts/intake';
import { currentUser, requireRole } from './http/auth';
import { HttpProblem, problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { publicBase } from './intake-public.routes';
import { randomCode, sourceHash, type IntakeService } from './intake.service';
import type { AppointmentService } from './appointment.service';

export function appointmentPublicRoutes(svc: AppointmentService, intake: IntakeService): Router {
  const r = Router();

  r.get('/targets/:code/slots', async (req, res) => {
    const { code } = validate(targetParams, req.params);
    res.set('Cache-Control', 'no-store').json(await svc.slots(code));
  });

  r.post('/targets/:code/appointments', async (req, res) => {
    if (Number(req.get('content-length') ?? 0) > config.intake.maxBodyBytes)
      throw new HttpProblem(413, '内容过长', 'request body too large', [
        { field: '(body)', message: '请求体过大', messageEn: 'request body too large' },
      ]);
    const { code } = validate(targetParams, req.params);
    const t = await intake.target(code);
    const b = validate(appointmentBody, req.body, stationRecordLabels);
    if (b.website) {
      // Honeypot filled: answer like a success so the robot learns nothing; nothing is stored.
      res.status(201).json({ trackingCode: randomCode(TRACKING_CODE_LENGTH), trackUrl: null });
      return;
    }
    const out = await svc.create({
      stationId: t.kind === 'station' ? t.stationId : null,
      deputyId: b.deputyId,
      day: b.day,
      slot: b.slot,
      topic: b.topic,
      name: b.name || null,
      phone: b.phone,
      channel: 'online',
      sourceHash: sourceHash(req.ip ?? 'unknown'),
      createdBy: null,
      requestId: req.requestId ?? null,
    });
    res.status(201).json({
      trackingCode: out.trackingCode,
      trackUrl: `${publicBase(req)}/m/appointment/${out.trackingCode}`,
    });
  });

  r.get('/appointments/:code', async (req, res) => {
    const { code } = validate(appointmentTrackParams, req.params);
    res.set('Cache-Control', 'no-store').json(await svc.track(code));
  });
  return r;
}

export function appointmentRoutes(svc: AppointmentService): Router {
  const r = Router();
  const rid = (req: Request) => req.requestId ?? null;

  r.get('/', async (req, res) => {
    const q = validate(appointmentListQuery, req.query, stationRecordLabels);
    res.json({ items: await svc.list(currentUser(req), q) });
  });

  /** The station's staff book for a constituent who came to the desk or phoned. */
  r.post('/', async (req, res) => {
    const user = requireRole(req, 'station_staff');
    const b = validate(staffAppointmentBody, req.body, stationRecordLabels);
    const staffs: unknown[] = await svc.staffs(user.id, b.stationId);
    if (!staffs.length) throw problems.forbidden('you are not staff of this station');
    const out = await svc.create({
      stationId: b.stationId,
      deputyId: b.deputyId,
      day: b.day,
      slot: b.slot,
      topic: b.topic,
      name: b.name || null,
      phone: b.phone,
      channel: 'staff',
      sourceHash: null,
      createdBy: user,
      requestId: rid(req),
    });
    res.status(201).json({
      ...out,
      trackUrl: `${publicBase(req)}/m/appointment/${out.trackingCode}`,
    });
  });

  r.get('/:id', async (req, res) => {
    res.json(await svc.view(currentUser(req), pathId(req.params.id, 'appointment')));
  });

  r.post('/:id/confirm', async (req, res) => {
    const user = currentUser(req);
    const id = pathId(req.params.id, 'appointment');
    await svc.confirm(user, id, rid(req));
    res.json(await svc.view(user, id));
  });
  r.post('/:id/decline', async (req, res) => {
    const user = currentUser(req);
    const id = pathId(req.params.id, 'appointment');
    await svc.row(user, id);
    const b = validate(declineBody, req.body, stationRecordLabels);
    await svc.decline(user, id, b.reason, rid(req));
    res.json(await svc.view(user, id));
  });
  r.post('/:id/attendance', async (req, res) => {
    const user = currentUser(req);
    const id = pathId(req.params.id, 'appointment');
    await svc.row(user, id);
    const b = validate(attendanceBody, req.body, stationRecordLabels);
    await svc.attendance(user, id, b.held, rid(req));
    res.json(await svc.view(user, id));
  });
  return r;
}
