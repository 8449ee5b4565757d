import { decodeCursor, listFilterOf } from './suggestion.repository';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { inRoleSet, isDeadlineProvisional } from '@jianyi/domain';
import { loadWorkCalendar } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { allowedActionsFor } from './rules.facts';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import {
  assignmentBody,
  bulkAssignmentBody,
  coHandlerOpinionBody,
  consultationBody,
  contactRecordBody,
  evaluationBody,
  followUpReportBody,
  keySupervisionBody,
  progressReportBody,
  replyDraftBody,
  replyReturnBody,
  reviewDecisionBody,
  suggestionDraftBody,
  suggestionListQuery,
  unitRequestBody,
  unitRequestDecisionBody,
  urgeBody,
  withholdPublicationBody,
  excellentBody,
} from './contracts/suggestions';
import type { Logger } from '@jianyi/platform';
import type { SuggestionService } from './suggestion.service';
import type { UnitStep } from './suggestion.lifecycle';
import type { TextService } from './text.service';

function id(raw: string | undefined): string {
  return pathId(raw, 'suggestion');
}

export function suggestionRoutes(svc: SuggestionService, text?: TextService, log?: Logger): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = validate(suggestionListQuery, req.query);
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
      ...listFilterOf(q),
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
      after,
    });
    const cal = await loadWorkCalendar(svc.repo.dataSource);
    res.json({
      items: items.map((it) => ({ ...it, deadlineProvisional: isDeadlineProvisional(cal, it.deadlineAt) })),
      total,
      totalExact,
      nextCursor,
      page: q.page,
      pageSize: q.pageSize,
    });
  });
  r.post('/', async (req, res) => {
    const body = validate(suggestionDraftBody, req.body);
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
    if (!inRoleSet('assigners', user.role))
      throw problems.forbidden('only the reviewer or coordinator assigns');
    res.json(
      await svc.bulkAssign(user, validate(bulkAssignmentBody, req.body).items, req.get('Idempotency-Key')),
    );
  });
  r.get('/:id', async (req, res) => {
    const user = currentUser(req);
    const s = await svc.repo.findVisible(user, id(req.params.id));
    if (!s) throw problems.notFound('suggestion');
    // What the caller may do now, by the rules module (the pages show their buttons from it).
    res.json({ ...s, allowedActions: await allowedActionsFor(svc.repo.dataSource, user, s) });
  });
  r.patch('/:id', async (req, res) => {
    const body = validate(suggestionDraftBody, req.body);
    res.json(await svc.updateDraft(currentUser(req), id(req.params.id), body, req.requestId ?? randomUUID()));
  });
  r.post('/:id/submit', async (req, res) => {
    res.status(202).json(await svc.submit(currentUser(req), id(req.params.id)));
  });
  r.post('/:id/review', async (req, res) => {
    const body = validate(reviewDecisionBody, req.body);
    res.json(await svc.review(currentUser(req), id(req.params.id), body));
  });
  r.post('/:id/resubmit', async (req, res) => {
    // 退回修改: the revised title, content and co-signers may come with the resubmission.
    const revised =
      req.body && typeof req.body === 'object' && Object.keys(req.body as object).length
        ? validate(suggestionDraftBody, req.body)
        : undefined;
    res.json(await svc.resubmit(currentUser(req), id(req.params.id), revised, req.requestId ?? randomUUID()));
  });
  r.post('/:id/withdraw', async (req, res) => {
    res.json(await svc.withdraw(currentUser(req), id(req.params.id)));
  });
  r.get('/:id/handling', async (req, res) => {
    const sid = id(req.params.id);
    if (!(await svc.repo.findVisible(currentUser(req), sid))) throw problems.notFound('suggestion');
    res.json(await svc.repo.handling(currentUser(req), sid));
  });
  r.post('/:id/assign', async (req, res) => {
    const user = currentUser(req);
    const body = validate(assignmentBody, req.body);
    const out = await svc.assign(user, id(req.params.id), body);
    // The reviewer's choice against the recommendation (交办推荐), for the agreement panel; never fails the step.
    const chosen = body.mode === 'lead' ? body.leadUnitId : body.unitIds[0]!;
    await text
      ?.recordChoice(req.params.id!, chosen, user.id)
      .catch((err: Error) => log?.warn({ err: err.message }, 'recommendation not recorded'));
    res.json(out);
  });
  r.post('/:id/rate', async (req, res) => {
    res.json(await svc.rate(currentUser(req), id(req.params.id), validate(evaluationBody, req.body)));
  });
  r.post('/:id/consultation', async (req, res) => {
    res.json(
      await svc.recordConsultation(
        currentUser(req),
        id(req.params.id),
        validate(consultationBody, req.body).summary,
      ),
    );
  });
  const unitStep = (path: string, step: (body: unknown) => UnitStep) =>
    r.post(`/:id/units/:unitId/${path}`, async (req, res) => {
      const unitId = pathId(req.params.unitId, 'unit');
      res.json(await svc.unitStep(currentUser(req), id(req.params.id), unitId, step(req.body)));
    });
  r.post('/:id/urge', async (req, res) => {
    res.json(await svc.urge(currentUser(req), id(req.params.id), validate(urgeBody, req.body)));
  });
  r.post('/:id/key-supervision', async (req, res) => {
    res.json(
      await svc.setKeySupervision(
        currentUser(req),
        id(req.params.id),
        validate(keySupervisionBody, req.body),
      ),
    );
  });
  r.post('/:id/units/:unitId/requests/decision', async (req, res) => {
    const unitId = pathId(req.params.unitId, 'unit');
    res.json(
      await svc.decideUnitRequest(
        currentUser(req),
        id(req.params.id),
        unitId,
        validate(unitRequestDecisionBody, req.body),
      ),
    );
  });
  r.post('/:id/units/:unitId/follow-up', async (req, res) => {
    const unitId = pathId(req.params.unitId, 'unit');
    res.json(
      await svc.reportFollowUp(
        currentUser(req),
        id(req.params.id),
        unitId,
        validate(followUpReportBody, req.body),
      ),
    );
  });
  // 优秀建议: the reviewer or a supervisor names a replied or closed item excellent, with the reason.
  r.post('/:id/excellent', async (req, res) => {
    res.json(
      await svc.markExcellent(
        currentUser(req),
        id(req.params.id),
        validate(excellentBody, req.body).reason,
        req.requestId ?? randomUUID(),
      ),
    );
  });
  // 不予公开: confidential (涉密, the reviewer) or the lead deputy's objection, with reasons.
  r.post('/:id/withhold-publication', async (req, res) => {
    res.json(
      await svc.withholdPublication(
        currentUser(req),
        id(req.params.id),
        validate(withholdPublicationBody, req.body).reason,
      ),
    );
  });
  // 退回重办: the reviewer sends this unit's reply back before it is rated.
  r.post('/:id/units/:unitId/reply/return', async (req, res) => {
    const unitId = pathId(req.params.unitId, 'unit');
    res.json(
      await svc.sendBackReply(
        currentUser(req),
        id(req.params.id),
        unitId,
        validate(replyReturnBody, req.body).reason,
      ),
    );
  });
  // 重点督办: the unit's progress report for the period now due.
  r.post('/:id/units/:unitId/progress-report', async (req, res) => {
    const unitId = pathId(req.params.unitId, 'unit');
    res.json(
      await svc.reportProgress(
        currentUser(req),
        id(req.params.id),
        unitId,
        validate(progressReportBody, req.body).summary,
      ),
    );
  });
  unitStep('requests', (b) => ({ kind: 'request', request: validate(unitRequestBody, b) }));
  unitStep('sign-in', () => ({ kind: 'sign-in' }));
  unitStep('contacts', (b) => ({ kind: 'contact', contact: validate(contactRecordBody, b) }));
  unitStep('reply', (b) => ({ kind: 'draft', draft: validate(replyDraftBody, b) }));
  unitStep('reply/sign-off', () => ({ kind: 'sign-off' }));
  unitStep('reply/send', () => ({ kind: 'send' }));
  unitStep('opinion', (b) => ({ kind: 'opinion', body: validate(coHandlerOpinionBody, b).body }));
  return r;
}
