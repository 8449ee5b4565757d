/** Contracts of /api/admin/deputies (人大代表, for the admin). */
import { z } from 'zod';
import { listLabels, listQuery, optionalQuery, page, type FieldLabels } from './common';

export const deputyLevels = ['national', 'provincial', 'city', 'county', 'township'] as const;

export const deputyLabels: FieldLabels = {
  name: '姓名',
  level: '代表层级',
  town: '镇(街道)',
  delegation: '代表团',
  ...listLabels,
};

/** POST /api/admin/deputies. */
export const deputyCreateBody = z.object({
  name: z.string().trim().min(1).max(50),
  level: z.enum(deputyLevels).default('city'),
  town: z.string().trim().max(50).default(''),
  delegation: z.string().trim().max(100).default(''),
});

/** PATCH /api/admin/deputies/:id: at least one field to change. */
export const deputyPatchBody = z
  .object({
    name: z.string().trim().min(1).max(50).optional(),
    level: z.enum(deputyLevels).optional(),
    town: z.string().trim().max(50).optional(),
    delegation: z.string().trim().max(100).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { path: [], message: 'nothing to change' });

/**
 * GET /api/admin/deputies: by 代表层级, 代表团 and 镇(街道) (exact), by town and name; the keyword
 * matches the name, the town and the delegation.
 */
export const deputyListQuery = z.object({
  level: optionalQuery(z.enum(deputyLevels)),
  delegation: optionalQuery(z.string().trim().min(1).max(100)),
  town: optionalQuery(z.string().trim().min(1).max(50)),
  ...listQuery({ pageSize: 50, maxQ: 50 }),
});

/** GET /api/admin/deputies/delegations: the delegations (代表团) with how many deputies each, for the filter. */
export const delegationList = z.object({
  items: z.array(z.object({ delegation: z.string(), deputies: z.number().int() })),
});

export type DeputyCreateInput = z.infer<typeof deputyCreateBody>;
export type DeputyPatchInput = z.infer<typeof deputyPatchBody>;

// ---- responses ----

/** A deputy as the admin sees them, with the number of accounts linked to them. */
export const deputyRecord = z.object({
  id: z.uuid(),
  name: z.string(),
  level: z.enum(deputyLevels),
  town: z.string(),
  delegation: z.string(),
  createdAt: z.string(),
  accounts: z.number().int(),
});
export const deputyPage = page(deputyRecord);

export type DeputyRecord = z.infer<typeof deputyRecord>;
