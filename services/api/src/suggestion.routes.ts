import { decodeCursor } from './suggestion.repository';
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
  /** 联名代表 besides the lead deputy. */
  cosignerDeputyIds: z.array(z.uuid()).max(50).optional(),
});
const reviewBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('return'), comments: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('convert') }),
  z.object({ decision: z.literal('merge'), intoSuggestionId: z.uuid() }),
]);
const uuidList = z.array(z.uuid()).max(20);
const assignBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('separate'), unitIds: uuidList.min(1) }),
  z.object({ mode: z.literal('lead'), leadUnitId: z.uuid(), coUnitIds: uuidList.default([]) }),
]);
const bulkAssignBody = z.object({
  items: z
    .array(z.object({ id: z.uuid(), assignment: assignBody }))
    .min(1)
    .max(1000),
});
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
const rateBody = z.object({
  rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  comment: z.string().trim().max(2000).optional(),
});
const consultationBody = z.object({ summary: z.string().trim().min(1).max(5000) });
const urgeBody = z.object({ note: z.string().trim().min(1).max(2000), unitId: z.uuid().optional() });
const keyBody = z.object({ supervisingLeaderId: z.uuid().optional() });
const requestBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reassignment'), reason: z.string().trim().min(1).max(5000) }),
  z.object({
    kind: z.literal('extension'),
    reason: z.string().trim().min(1).max(5000),
    amount: z.object({
      amount: z.number().positive().max(1000),
      unit: z.enum(['working_days', 'calendar_days', 'months', 'hours', 'seconds']),
    }),
  }),
]);
const followUpBody = z.object({ report: z.string().trim().min(1).max(20000), final: z.boolean() });
const sendBackBody = z.object({ reason: z.string().trim().min(1).max(5000) });
const progressBody = z.object({ summary: z.string().trim().min(1).max(20000) });
const decisionBody = z.object({
  approve: z.boolean(),
  note: z.string().trim().max(2000).optional(),
  newUnitId: z.uuid().optional(),
});

/** A query value the client left empty counts as not given. */
const optionalQuery = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
/** A whole number written in the query string, then range-checked (so "abc" is a format error, not "required"). */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const listQuery = z.object({
  // One or several statuses, comma-separated (status=a,b) or repeated (status=a&status=b).
  status: optionalQuery(
    z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
      const parts = [
        ...new Set(
          (Array.isArray(v) ? v.join(',') : v)
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ];
      if (!parts.length || parts.some((x) => !(suggestionStatuses as string[]).includes(x))) {
        ctx.addIssue({
          code: 'invalid_value',
          values: suggestionStatuses,
          input: v,
          message: `status must be one or more of ${suggestionStatuses.join(', ')}, comma-separated`,
        });
        return z.NEVER;
      }
      return parts;
    }),
  ),
  unitId: optionalQuery(z.uuid()),
  deputyId: optionalQuery(z.uuid()),
  town: optionalQuery(z.string().trim().min(1).max(50)),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  topic: optionalQuery(z.string().trim().min(1).max(32)),
  overdue: optionalQuery(queryBool),
  key: optionalQuery(queryBool),
  q: optionalQuery(z.string().trim().min(1).max(100)),
  sort: z
    .enum(['createdAt', 'submittedAt', 'deadlineAt', 'registrationNo', 'updatedAt'])
    .default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(20),
  /** Keyset pagination: `nextCursor` of the previous page (then `page` is ignored). */
  cursor: optionalQuery(z.string().max(200)),
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
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (after === null)
      throw problems.invalid([
        {
          field: 'cursor',
          message: '翻页游标无效,请从第一页重新开始',
          messageEn: 'cursor is not valid; start again from the first page',
        },
      ]);
    const { items, total, totalExact, nextCursor } = await svc.repo.list(currentUser(req), {
      statuses: q.status,
      unitId: q.unitId,
      deputyId: q.deputyId,
      town: q.town,
      sessionYear: q.sessionYear,
      topic: q.topic,
      overdue: q.overdue,
      key: q.key,
      q: q.q,
      sort: q.sort,
      order: q.order,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
      after,
    });
    res.json({ items, total, totalExact, nextCursor, page: q.page, pageSize: q.pageSize });
  });
  r.post('/', async (req, res) => {
    const body = parse(draftBody, req.body);
    const out = await svc.createDraft(
      currentUser(req),
      body,
      req.get('Idempotency-Key'),
      req.requestId ?? randomUUID(),
    );
    res.status(out.status).set('Idempotent-Replayed', String(out.replayed)).json(out.body);
  });
  r.post('/bulk-assign', async (req, res) => {
    const user = currentUser(req);
    if (!['reviewer', 'coordinator'].includes(user.role))
      throw problems.forbidden('only the reviewer or coordinator assigns');
    res.json(await svc.bulkAssign(user, parse(bulkAssignBody, req.body).items));
  });
  r.get('/:id', async (req, res) => {
    const s = await svc.repo.findVisible(currentUser(req), id(req.params.id));
    if (!s) throw problems.notFound('suggestion');
    res.json(s);
  });
  r.patch('/:id', async (req, res) => {
    const body = parse(draftBody, req.body);
    res.json(await svc.updateDraft(currentUser(req), id(req.params.id), body, req.requestId ?? randomUUID()));
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
    res.json(
      await svc.recordConsultation(
        currentUser(req),
        id(req.params.id),
        parse(consultationBody, req.body).summary,
      ),
    );
  });
  const unitStep = (path: string, step: (body: unknown) => UnitStep) =>
    r.post(`/:id/units/:unitId/${path}`, async (req, res) => {
      const unitId = req.params.unitId;
      if (!z.uuid().safeParse(unitId).success) throw problems.notFound('unit');
      res.json(await svc.unitStep(currentUser(req), id(req.params.id), unitId, step(req.body)));
    });
  r.post('/:id/urge', async (req, res) => {
    res.json(await svc.urge(currentUser(req), id(req.params.id), parse(urgeBody, req.body)));
  });
  r.post('/:id/key-supervision', async (req, res) => {
    res.json(await svc.setKeySupervision(currentUser(req), id(req.params.id), parse(keyBody, req.body)));
  });
  r.post('/:id/units/:unitId/requests/decision', async (req, res) => {
    const unitId = req.params.unitId;
    if (!z.uuid().safeParse(unitId).success) throw problems.notFound('unit');
    res.json(
      await svc.decideUnitRequest(currentUser(req), id(req.params.id), unitId, parse(decisionBody, req.body)),
    );
  });
  r.post('/:id/units/:unitId/follow-up', async (req, res) => {
    const unitId = req.params.unitId;
    if (!z.uuid().safeParse(unitId).success) throw problems.notFound('unit');
    res.json(
      await svc.reportFollowUp(currentUser(req), id(req.params.id), unitId, parse(followUpBody, req.body)),
    );
  });
  // 不予公开: confidential (涉密, the reviewer) or the lead deputy's objection, with reasons.
  r.post('/:id/withhold-publication', async (req, res) => {
    res.json(
      await svc.withholdPublication(
        currentUser(req),
        id(req.params.id),
        parse(sendBackBody, req.body).reason,
      ),
    );
  });
  // 退回重办: the reviewer sends this unit's reply back before it is rated.
  r.post('/:id/units/:unitId/reply/return', async (req, res) => {
    const unitId = req.params.unitId;
    if (!z.uuid().safeParse(unitId).success) throw problems.notFound('unit');
    res.json(
      await svc.sendBackReply(
        currentUser(req),
        id(req.params.id),
        unitId,
        parse(sendBackBody, req.body).reason,
      ),
    );
  });
  // 重点督办: the unit's progress report for the period now due.
  r.post('/:id/units/:unitId/progress-report', async (req, res) => {
    const unitId = req.params.unitId;
    if (!z.uuid().safeParse(unitId).success) throw problems.notFound('unit');
    res.json(
      await svc.reportProgress(
        currentUser(req),
        id(req.params.id),
        unitId,
        parse(progressBody, req.body).summary,
      ),
    );
  });
  unitStep('requests', (b) => ({ kind: 'request', request: parse(requestBody, b) }));
  unitStep('sign-in', () => ({ kind: 'sign-in' }));
  unitStep('contacts', (b) => ({ kind: 'contact', contact: parse(contactBody, b) }));
  unitStep('reply', (b) => ({ kind: 'draft', draft: parse(draftBody2, b) }));
  unitStep('reply/sign-off', () => ({ kind: 'sign-off' }));
  unitStep('reply/send', () => ({ kind: 'send' }));
  unitStep('opinion', (b) => ({ kind: 'opinion', body: parse(opinionBody, b).body }));
  return r;
}
