/**
 * Admin API (系统管理), mounted at /api/admin behind requireUser: the working-day calendar, the
 * jurisdiction policy in force, handling units and user accounts. Every route requires role admin.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { Client } from '@temporalio/client';
import { Role, isCalendarDate, roles, type PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { requireRole } from './http/auth';
import { problems, zodProblem } from './http/problem';
import { AdminService, type AdminActor } from './admin.service';

/** Chinese labels of the fields of these routes (zodProblem knows the suggestion fields only). */
const labels: Record<string, string> = {
  year: '年份',
  day: '日期',
  kind: '日期类型',
  name: '名称',
  fromYear: '起始年份',
  holidays: '放假日期',
  workdays: '调休上班日期',
  csv: 'CSV 文件',
  toYear: '结束年份',
  policyKey: '办理规则',
  code: '单位代码',
  username: '用户名',
  password: '密码',
  displayName: '姓名',
  role: '角色',
  deputyId: '代表',
  unitId: '承办单位',
  email: '电子邮箱',
  active: '启用状态',
  page: '页码',
  pageSize: '每页条数',
  q: '搜索词',
};

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const p = zodProblem(r.error);
  // zodProblem writes "<field>:<message>" for fields it has no label for, and cannot tell a missing
  // field from a wrong one (zod does not report the input); put in the Chinese label and "必填".
  r.error.issues.forEach((issue, i) => {
    const e = p.errors[i];
    if (!e) return;
    const colon = e.message.indexOf(':');
    const label = labels[e.field] ?? (colon >= 0 ? e.message.slice(0, colon) : e.field);
    const rest = colon >= 0 ? e.message.slice(colon + 1) : e.message;
    const missing = issue.path.length > 0 && valueAt(value, issue.path) === undefined;
    e.message = `${label}:${missing ? '必填' : issue.code === 'invalid_type' ? '格式不正确' : rest}`;
  });
  throw p;
}
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
const body = (req: Request): Record<string, unknown> =>
  req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)
    ? (req.body as Record<string, unknown>)
    : {};

const year = z.coerce.number().int().min(2000).max(2100);
/** A day of a State Council notice: 'YYYY-MM-DD' or { date, name }. */
const noticeDay = z
  .union([z.string(), z.object({ date: z.string(), name: z.string().max(50).nullish() })])
  .transform((d) =>
    typeof d === 'string' ? { date: d, name: null } : { date: d.date, name: d.name ?? null },
  );
const noticeBody = z.object({
  holidays: z.array(noticeDay).max(366).optional(),
  workdays: z.array(noticeDay).max(366).optional(),
  /** The same as CSV (`date,kind,name` a line), e.g. an uploaded file. */
  csv: z.string().max(100_000).optional(),
});
const calendarQuery = z.object({
  year: year.default(() =>
    Number(new Date().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' })),
  ),
});
const calendarDay = z.object({
  day: z
    .string()
    .refine(
      (d) => isCalendarDate(d) && Number(d.slice(0, 4)) >= 2000 && Number(d.slice(0, 4)) <= 2100,
      "must be a real date 'YYYY-MM-DD' in 2000–2100",
    ),
  kind: z.enum(['holiday', 'workday', 'normal']),
  name: z.string().trim().max(50).optional(),
});
const seedBody = z
  .object({ fromYear: z.number().int().min(2000).max(2100), toYear: z.number().int().min(2000).max(2100) })
  .refine((b) => b.toYear >= b.fromYear, { path: ['toYear'], message: 'toYear must not be before fromYear' })
  .refine((b) => b.toYear - b.fromYear <= 30, { path: ['toYear'], message: 'at most 30 years at once' });
const policyBody = z.object({ policyKey: z.string().trim().min(1).max(64) });
const unitBody = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-" only'),
  name: z.string().trim().min(1).max(100),
});
const roleEnum = z.enum(roles as [Role, ...Role[]]);
const userBody = z.object({
  username: z
    .string()
    .trim()
    .min(3)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]*$/, 'letters, digits, ".", "_", "@" and "-" only'),
  password: z.string().min(8).max(200),
  displayName: z.string().trim().min(1).max(50),
  role: roleEnum,
  deputyId: z.uuid().nullish(),
  unitId: z.uuid().nullish(),
  email: z.email().max(200).nullish(),
});
const userPatch = z
  .object({
    active: z.boolean().optional(),
    role: roleEnum.optional(),
    displayName: z.string().trim().min(1).max(50).optional(),
    deputyId: z.uuid().nullable().optional(),
    unitId: z.uuid().nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { path: [], message: 'nothing to change' });
const usersQuery = z.object({
  role: roleEnum.optional(),
  q: z.string().trim().max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const uuid = z.uuid();

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
    const q = parse(calendarQuery, req.query);
    res.json(await svc.calendar(q.year));
  });
  r.post('/calendar/seed', async (req, res) => {
    const b = parse(seedBody, req.body);
    res.json(await svc.seedCalendar(actorOf(req), b.fromYear, b.toYear));
  });
  r.put('/calendar/years/:year', async (req, res) => {
    const y = parse(z.object({ year }), { year: req.params.year }).year;
    const b = parse(noticeBody, req.body);
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
    const input = parse(calendarDay, { day: req.params.day, kind: b.kind, name: b.name });
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
    const b = parse(policyBody, req.body);
    res.json(await svc.choosePolicy(actorOf(req), b.policyKey));
  });

  // ---- handling units ----
  r.get('/units', async (_req, res) => {
    res.json(await svc.listUnits());
  });
  r.post('/units', async (req, res) => {
    const b = parse(unitBody, req.body);
    res.status(201).json(await svc.createUnit(actorOf(req), b));
  });

  // ---- user accounts ----
  r.get('/users', async (req, res) => {
    const q = parse(usersQuery, req.query);
    const { items, total } = await svc.listUsers({
      role: q.role,
      search: q.q,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    res.json({ items, total, page: q.page, pageSize: q.pageSize });
  });
  r.post('/users', async (req, res) => {
    const b = parse(userBody, req.body);
    res.status(201).json(await svc.createUser(actorOf(req), b));
  });
  r.patch('/users/:id', async (req, res) => {
    if (!uuid.safeParse(req.params.id).success) throw problems.notFound('user');
    const b = parse(userPatch, req.body);
    res.json(await svc.updateUser(actorOf(req), req.params.id, b));
  });
  return r;
}
