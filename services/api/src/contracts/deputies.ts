/** Contracts of /api/admin/deputies (人大代表, for the admin). */
import { z } from 'zod';
import type { FieldLabels } from './common';

export const deputyLevels = ['national', 'provincial', 'city', 'county', 'township'] as const;

export const deputyLabels: FieldLabels = {
  name: '姓名',
  level: '代表层级',
  town: '镇(街道)',
  delegation: '代表团',
  q: '搜索词',
  page: '页码',
  pageSize: '每页条数',
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

/** GET /api/admin/deputies: search and page. */
export const deputyListQuery = z.object({
  q: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(50).optional()),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export type DeputyCreateInput = z.infer<typeof deputyCreateBody>;
export type DeputyPatchInput = z.infer<typeof deputyPatchBody>;
