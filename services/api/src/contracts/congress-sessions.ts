/** Contracts of /api/admin/sessions (届次: congress sessions with their dates, kept by the admin). */
import { z } from 'zod';
import type { FieldLabels } from './common';

export const congressSessionLabels: FieldLabels = {
  term: '届',
  session: '次',
  name: '名称',
  startsOn: '开幕日期',
  endsOn: '闭幕日期',
};

const date = z.iso.date();
const ordered = (s: { startsOn?: string; endsOn?: string }) =>
  !s.startsOn || !s.endsOn || s.startsOn <= s.endsOn;

/** POST /api/admin/sessions: the name defaults to 第N届人民代表大会第M次会议. */
export const congressSessionCreateBody = z
  .object({
    term: z.number().int().min(1).max(99),
    session: z.number().int().min(1).max(20),
    name: z.string().trim().min(1).max(100).optional(),
    startsOn: date,
    endsOn: date,
  })
  .refine(ordered, { path: ['endsOn'], message: 'the session cannot close before it opens' });

/** PATCH /api/admin/sessions/:id: at least one field to change. */
export const congressSessionPatchBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    startsOn: date.optional(),
    endsOn: date.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { path: [], message: 'nothing to change' })
  .refine(ordered, { path: ['endsOn'], message: 'the session cannot close before it opens' });

export const congressSessionRecord = z.object({
  id: z.uuid(),
  term: z.number().int(),
  session: z.number().int(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  /** Suggestions submitted within its dates. */
  suggestions: z.number().int(),
});
/** GET /api/admin/sessions: newest first. */
export const congressSessionList = z.object({ items: z.array(congressSessionRecord) });
export type CongressSessionRecord = z.infer<typeof congressSessionRecord>;
