import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { suggestionStatuses } from '@jianyi/domain';
import { currentUser } from './http/auth';
import { zodProblem, problems } from './http/problem';
import type { SuggestionService } from './suggestion.service';

const draftBody = z.object({
  title: z.string().trim().min(1).max(200),
  content: z.string().trim().min(10).max(20000),
});
const reviewBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('return'), comments: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('convert') }),
]);
const listQuery = z.object({
  status: z.enum(suggestionStatuses as [string, ...string[]]).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
const idParam = z.uuid();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw zodProblem(r.error);
  return r.data;
}
function id(raw: string | undefined): string {
  if (!idParam.safeParse(raw).success) throw problems.notFound('suggestion');
  return raw!;
}

export function suggestionRoutes(svc: SuggestionService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parse(listQuery, req.query);
    const { items, total } = await svc.repo.list(currentUser(req), { status: q.status, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
    res.json({ items, total, page: q.page, pageSize: q.pageSize });
  });
  r.post('/', async (req, res) => {
    const body = parse(draftBody, req.body);
    const out = await svc.createDraft(currentUser(req), body, req.get('Idempotency-Key'), req.requestId ?? randomUUID());
    res.status(out.status).set('Idempotent-Replayed', String(out.replayed)).json(out.body);
  });
  r.get('/:id', async (req, res) => {
    const s = await svc.repo.findVisible(currentUser(req), id(req.params.id));
    if (!s) throw problems.notFound('suggestion');
    res.json(s);
  });
  r.post('/:id/submit', async (req, res) => {
    res.status(202).json(await svc.submit(currentUser(req), id(req.params.id)));
  });
  r.post('/:id/review', async (req, res) => {
    const body = parse(reviewBody, req.body);
    res.json(await svc.review(currentUser(req), id(req.params.id), body));
  });
  r.post('/:id/resubmit', async (req, res) => {
    res.json(await svc.resubmit(currentUser(req), id(req.params.id)));
  });
  r.post('/:id/withdraw', async (req, res) => {
    res.json(await svc.withdraw(currentUser(req), id(req.params.id)));
  });
  return r;
}
