/**
 * Admin API (系统管理), mounted at /api/admin behind requireUser: the working-day calendar, the
 * jurisdiction policy in force, handling units and user accounts. Every route requires role admin.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Client } from '@temporalio/client';
import { Role, type PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { requireRole } from './http/auth';
import { pathId, validate } from './http/validate';
import {
  adminLabels,
  calendarDayInput,
  calendarNoticeBody,
  calendarYearParam,
  calendarQuery,
  calendarSeedBody,
  policyChoiceBody,
  unitCreateBody,
  unitListQuery,
  unitLabels,
  unitPatchBody,
  userCreateBody,
  userListQuery,
  userPatchBody,
} from './contracts/admin';
import { AdminService, type AdminActor } from './admin.service';

const body = (req: Request): Record<string, unknown> =>
  req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)
    ? (req.body as Record<string, unknown>)
    : {};

const actorOf = (req: Request): AdminActor => ({
  user: requireRole(req, Role.admin),
  requestId: req.requestId ?? null,
});

/** The admin router; mount it at /api/admin after requireUser. `policies` defaults to /policies on disk. */
export function adminRoutes(
  ds: DataSource,
  opts: { policies?: PolicyRegistry; temporal?: Client } = {},
): Router {
  const svc = new AdminService(ds, opts.policies ?? loadPolicyRegistry(), opts.temporal);
  const r = Router();
  r.use((req: Request, _res: Response, next: NextFunction) => {
    try {
      requireRole(req, Role.admin);
      next();
    } catch (err) {
      next(err);
    }
  });

  // ---- working-day calendar ----
  r.get('/calendar', async (req, res) => {
    const q = validate(calendarQuery, req.query, adminLabels);
    res.json(await svc.calendar(q.year));
  });
  r.post('/calendar/seed', async (req, res) => {
    const b = validate(calendarSeedBody, req.body, adminLabels);
    res.json(await svc.seedCalendar(actorOf(req), b.fromYear, b.toYear));
  });
  r.put('/calendar/years/:year', async (req, res) => {
    const y = validate(calendarYearParam, { year: req.params.year }, adminLabels).year;
    const b = validate(calendarNoticeBody, req.body, adminLabels);
    res.json(
      await svc.loadCalendarYear(actorOf(req), y, {
        csv: b.csv,
        notice:
          b.holidays || b.workdays ? { holidays: b.holidays ?? [], workdays: b.workdays ?? [] } : undefined,
      }),
    );
  });
  r.put('/calendar/:day', async (req, res) => {
    const b = body(req);
    const input = validate(
      calendarDayInput,
      { day: req.params.day, kind: b.kind, name: b.name },
      adminLabels,
    );
    res.json(await svc.setCalendarDay(actorOf(req), input.day, input.kind, input.name));
  });

  // ---- jurisdiction policy ----
  r.get('/policies', async (_req, res) => {
    res.json(await svc.listPolicies());
  });
  r.get('/policy', async (_req, res) => {
    res.json(await svc.currentPolicy());
  });
  r.put('/policy', async (req, res) => {
    const b = validate(policyChoiceBody, req.body, adminLabels);
    res.json(await svc.choosePolicy(actorOf(req), b.policyKey));
  });

  // ---- handling units ----
  r.get('/units', async (req, res) => {
    const q = validate(unitListQuery, req.query, unitLabels);
    res.json({ ...(await svc.listUnits(q)), page: q.page, pageSize: q.pageSize });
  });
  r.post('/units', async (req, res) => {
    const b = validate(unitCreateBody, req.body, unitLabels);
    res.status(201).json(await svc.createUnit(actorOf(req), b));
  });
  r.patch('/units/:id', async (req, res) => {
    const id = pathId(req.params.id, 'unit');
    const b = validate(unitPatchBody, req.body, unitLabels);
    res.json(await svc.updateUnit(actorOf(req), id, b));
  });

  // ---- user accounts ----
  r.get('/users', async (req, res) => {
    const q = validate(userListQuery, req.query, adminLabels);
    res.json({ ...(await svc.listUsers(q)), page: q.page, pageSize: q.pageSize });
  });
  r.post('/users', async (req, res) => {
    const b = validate(userCreateBody, req.body, adminLabels);
    res.status(201).json(await svc.createUser(actorOf(req), b));
  });
  r.post('/users/:id/password-reset', async (req, res) => {
    const id = pathId(req.params.id, 'user');
    res.json(await svc.resetPassword(actorOf(req), id));
  });
  r.patch('/users/:id', async (req, res) => {
    const id = pathId(req.params.id, 'user');
    const b = validate(userPatchBody, req.body, adminLabels);
    res.json(await svc.updateUser(actorOf(req), id, b));
  });
  return r;
}
