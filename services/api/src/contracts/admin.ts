/** Contracts of /api/admin (系统管理): the working-day calendar, the policy in force, units and user accounts. */
import { z } from 'zod';
import { Role, isCalendarDate, roles } from '@jianyi/domain';
import type { FieldLabels } from './common';

/** Chinese labels of the admin fields (the generic ones know the suggestion fields only). */
export const adminLabels: FieldLabels = {
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
  page: '页码',
  pageSize: '每页条数',
  q: '搜索词',
};

const year = z.coerce.number().int().min(2000).max(2100);

/** GET /api/admin/calendar: the year to show (this year in China by default). */
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
  password: z.string().min(8).max(200),
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
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { path: [], message: 'nothing to change' });

/** GET /api/admin/users: filter and page. */
export const userListQuery = z.object({
  role: roleEnum.optional(),
  q: z.string().trim().max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export type UserCreateInput = z.infer<typeof userCreateBody>;
export type UserPatchInput = z.infer<typeof userPatchBody>;
export type UnitCreateInput = z.infer<typeof unitCreateBody>;
