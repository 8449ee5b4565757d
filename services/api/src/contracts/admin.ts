/** Contracts of /api/admin (系统管理): the working-day calendar, the policy in force, units and user accounts. */
import { z } from 'zod';
// Domain modules by file: they import nothing, so the web can import the contracts.
import { isCalendarDate } from '@jianyi/domain/src/calendar/civil';
import { Role, roles } from '@jianyi/domain/src/roles';
import { unitKinds } from '@jianyi/domain/src/unit-kinds';
import { listLabels, listQuery, optionalQuery, page, queryBool, type FieldLabels } from './common';

/** Chinese labels of the admin fields (the generic ones know the suggestion fields only). */
export const adminLabels: FieldLabels = {
  holidays: '放假日期',
  workdays: '调休上班日期',
  csv: 'CSV 文件',
  year: '年份',
  day: '日期',
  kind: '日期类型',
  name: '名称',
  fromYear: '起始年份',
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
  principal: '主要负责人',
  ...listLabels,
};

/** The unit fields: `kind` there is the 单位类别. */
export const unitLabels: FieldLabels = { ...adminLabels, kind: '单位类别', active: '单位状态' };

const year = z.coerce.number().int().min(2000).max(2100);

/** GET /api/admin/calendar: the year to show (this year in China by default). */
/** A day of a State Council notice: 'YYYY-MM-DD' or { date, name }. */
const noticeDay = z
  .union([z.string(), z.object({ date: z.string(), name: z.string().max(50).nullish() })])
  .transform((d) =>
    typeof d === 'string' ? { date: d, name: null } : { date: d.date, name: d.name ?? null },
  );
/** PUT /admin/calendar/years/:year: the notice as lists, or the same as CSV (an uploaded file). */
export const calendarNoticeBody = z.object({
  holidays: z.array(noticeDay).max(366).optional(),
  workdays: z.array(noticeDay).max(366).optional(),
  csv: z.string().max(100_000).optional(),
});
export const calendarYearParam = z.object({ year });
export const calendarQuery = z.object({
  year: year.default(() =>
    Number(new Date().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' })),
  ),
});

/** PUT /api/admin/calendar/:day body: what the day is. */
export const calendarDayBody = z.object({
  kind: z.enum(['holiday', 'workday', 'normal']),
  name: z.string().trim().max(50).optional(),
});
/** The day of the path together with its body, as the route validates them. */
export const calendarDayInput = z
  .object({
    day: z
      .string()
      .refine(
        (d) => isCalendarDate(d) && Number(d.slice(0, 4)) >= 2000 && Number(d.slice(0, 4)) <= 2100,
        "must be a real date 'YYYY-MM-DD' in 2000–2100",
      ),
  })
  .extend(calendarDayBody.shape);

/** POST /api/admin/calendar/seed: fill years from the built-in holiday data. */
export const calendarSeedBody = z
  .object({ fromYear: z.number().int().min(2000).max(2100), toYear: z.number().int().min(2000).max(2100) })
  .refine((b) => b.toYear >= b.fromYear, { path: ['toYear'], message: 'toYear must not be before fromYear' })
  .refine((b) => b.toYear - b.fromYear <= 30, { path: ['toYear'], message: 'at most 30 years at once' });

/** PUT /api/admin/policy: the jurisdiction policy new items enter with. */
export const policyChoiceBody = z.object({ policyKey: z.string().trim().min(1).max(64) });

/** POST /api/admin/units: a handling unit (承办单位). */
export const unitCreateBody = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-" only'),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(unitKinds).default('government'),
});

/** PATCH /api/admin/units/:id: rename (更名) or deactivate (撤并) / reactivate a unit; at least one field. */
export const unitPatchBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(unitKinds).optional(),
    active: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { path: [], message: 'nothing to change' });

/** GET /api/admin/units: by code, 单位类别 and state; the keyword matches code and name. */
export const unitListQuery = z.object({
  kind: optionalQuery(z.enum(unitKinds)),
  active: optionalQuery(queryBool),
  ...listQuery({ pageSize: 50 }),
});

export const roleEnum = z.enum(roles as [Role, ...Role[]]);

/** POST /api/admin/users: a new account. */
export const userCreateBody = z.object({
  username: z
    .string()
    .trim()
    .min(3)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]*$/, 'letters, digits, ".", "_", "@" and "-" only'),
  password: z.string().min(12).max(200),
  displayName: z.string().trim().min(1).max(50),
  role: roleEnum,
  deputyId: z.uuid().nullish(),
  unitId: z.uuid().nullish(),
  email: z.email().max(200).nullish(),
});

/** PATCH /api/admin/users/:id: at least one field to change. */
export const userPatchBody = z
  .object({
    active: z.boolean().optional(),
    role: roleEnum.optional(),
    displayName: z.string().trim().min(1).max(50).optional(),
    deputyId: z.uuid().nullable().optional(),
    unitId: z.uuid().nullable().optional(),
    /** 主要负责人: a unit leader who signs the replies of key items (process.md). Unit leaders only. */
    principal: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { path: [], message: 'nothing to change' });

/**
 * GET /api/admin/users: by role, state and unit; the keyword matches the login name, the name (姓名)
 * and the email. By login name (unique), so pages never overlap.
 */
export const userListQuery = z.object({
  role: optionalQuery(roleEnum),
  active: optionalQuery(queryBool),
  unitId: optionalQuery(z.uuid()),
  ...listQuery({ pageSize: 50 }),
});

export type UserCreateInput = z.infer<typeof userCreateBody>;
export type UserPatchInput = z.infer<typeof userPatchBody>;
export type UnitCreateInput = z.infer<typeof unitCreateBody>;
export type UnitPatchInput = z.infer<typeof unitPatchBody>;
export type UnitListQuery = z.infer<typeof unitListQuery>;
export type UserListQuery = z.infer<typeof userListQuery>;

// ---- responses ----

const calendarDayRow = z.looseObject({
  day: z.string(),
  kind: z.enum(['holiday', 'workday', 'normal']),
  name: z.string(),
  source: z.enum(['chinese-days', 'admin']),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
/** GET /api/admin/calendar. */
export const calendarYearView = z.object({
  year: z.number().int(),
  seeded: z.boolean(),
  seededYears: z.array(z.number().int()),
  days: z.array(calendarDayRow),
});
/** PUT /api/admin/calendar/:day (row null when the weekday/weekend rule applies). */
export const calendarDayView = z.object({
  day: z.string(),
  kind: z.enum(['holiday', 'workday', 'normal']),
  row: calendarDayRow.nullable(),
});
/** POST /api/admin/calendar/seed. */
export const calendarSeedResult = z.looseObject({});

const policySummary = z.looseObject({
  key: z.string(),
  id: z.string(),
  version: z.union([z.string(), z.number()]),
  name: z.string(),
  description: z.string().nullable(),
  jurisdiction: z.object({ level: z.string(), name: z.string(), code: z.string().nullable() }),
  effectiveFrom: z.string(),
  testOnly: z.boolean(),
  inForce: z.boolean(),
});
/** GET /api/admin/policies. */
export const policyList = z.looseObject({ items: z.array(policySummary) });
/** GET and PUT /api/admin/policy. */
export const policyInForceView = z.looseObject({
  policyKey: z.string(),
  chosen: z.boolean(),
  chosenBy: z.string().nullable(),
  chosenAt: z.string().nullable(),
  policy: policySummary.nullable(),
});

export const unitRecord = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  /** False once deactivated (撤并): not offered for assignment. */
  active: z.boolean(),
  kind: z.enum(unitKinds),
  createdAt: z.string(),
});
/** GET /api/admin/units: a page of units. */
export const unitPage = page(unitRecord);

/** A user account as the admin sees it (never the password hash). */
export const userRecord = z.looseObject({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: roleEnum,
  deputyId: z.uuid().nullable(),
  unitId: z.uuid().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
  /** 主要负责人 of the user's unit (unit leaders only). */
  principal: z.boolean(),
  createdAt: z.string(),
  /** In the list: the names of the account's unit and deputy. */
  unitName: z.string().nullable().optional(),
  deputyName: z.string().nullable().optional(),
});
export const userPage = page(userRecord);
/** POST /api/admin/users/:id/password-reset: the temporary password, shown this once. */
export const passwordResetResult = z.object({
  temporaryPassword: z.string(),
  mustChangePassword: z.literal(true),
});

export type UserRecord = z.infer<typeof userRecord>;
export type UnitRecord = z.infer<typeof unitRecord>;
