import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { suggestionStatuses } from '@jianyi/domain';
import { currentUser } from './http/auth';
import { zodProblem, problems } from './http/problem';
import type { SuggestionService, UnitStep } from './suggestion.service';

const draftBody = z.object({
  title: z.string().trim().min(1).max(200),
  content: z.string().trim().min(10).max(20000),
  topic: z.string().trim().max(32).optional(),
});
const reviewBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('return'), comments: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('convert') }),
]);
const uuidList = z.array(z.uuid()).max(20);
const assignBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('separate'), unitIds: uuidList.min(1) }),
  z.object({ mode: z.literal('lead'), leadUnitId: z.uuid(), coUnitIds: uuidList.default([]) }),
]);
const contactBody = z.object({
  contactedOn: z.iso.date(),
  form: z.enum(['面商', '电话', '座谈', '视察', '走访', '其他']),
  summary: z.string().trim().min(1).max(5000),
});
const draftBody2 = z.object({
  category: z.enum(['A', 'B', 'C', 'D']),
  body: z.string().trim().min(10).max(50000),
  promisedDate: z.iso.date().optional(),
  explanation: z.string().trim().max(5000).optional(),
});
const opinionBody = z.object({ body: z.string().trim().min(1).max(20000) });
const rateBody = z.object({ rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']), comment: z.string().trim().max(2000).optional() });
const consultationBody = z.object({ summary: z.string().trim().min(1).max(5000) });

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
  r.get('/:id/handling', async (req, res) => {
    const sid = id(req.params.id);
    if (!(await svc.repo.findVisible(currentUser(req), sid))) throw problems.notFound('suggestion');
    res.json(await svc.repo.handling(sid));
  });
  r.post('/:id/assign', async (req, res) => {
    res.json(await svc.assign(currentUser(req), id(req.params.id), parse(assignBody, req.body)));
  });
  r.post('/:id/rate', async (req, res) => {
    res.json(await svc.rate(currentUser(req), id(req.params.id), parse(rateBody, req.body)));
  });
  r.post('/:id/consultation', async (req, res) => {
    res.json(await svc.recordConsultation(currentUser(req), id(req.params.id), parse(consultationBody, req.body).summary));
  });
  const unitStep = (path: string, step: (body: unknown) => UnitStep) =>
    r.post(`/:id/units/:unitId/${path}`, async (req, res) => {
      const unitId = req.params.unitId;
      if (!z.uuid().safeParse(unitId).success) throw problems.notFound('unit');
      res.json(await svc.unitStep(currentUser(req), id(req.params.id), unitId, step(req.body)));
    });
  unitStep('sign-in', () => ({ kind: 'sign-in' }));
  unitStep('contacts', (b) => ({ kind: 'contact', contact: parse(contactBody, b) }));
  unitStep('reply', (b) => ({ kind: 'draft', draft: parse(draftBody2, b) }));
  unitStep('reply/sign-off', () => ({ kind: 'sign-off' }));
  unitStep('reply/send', () => ({ kind: 'send' }));
  unitStep('opinion', (b) => ({ kind: 'opinion', body: parse(opinionBody, b).body }));
  return r;
}
