import { createHash, randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import {
  appendOutbox,
  audit,
  policyKeyForNewWork,
  suggestionWorkflowId,
  type SessionUser,
} from '@jianyi/platform';
import {
  DEFAULT_POLICY_KEY,
  decide,
  type Actor,
  type SuggestionStatus,
  type UnitAction,
} from '@jianyi/domain';
import type {
  Assignment,
  AssignmentMeetingResult,
  RequestDecision,
  ReviewDecision,
  SuggestionWorkflowInput,
} from '@jianyi/workflows';
import { searchDocument } from '@jianyi/text';
import { enforce, enforceWho, HttpProblem, problems } from './http/problem';
import { unavailableProblem } from './http/unavailable';
import { idempotent } from './http/idempotency';
import { SuggestionLifecycle, type ItemSteps, type UnitStep, type UnitSteps } from './suggestion.lifecycle';
import { SuggestionRepository } from './suggestion.repository';

const actorOf = (u: SessionUser): Actor => ({
  userId: u.id,
  role: u.role as Actor['role'],
  name: u.displayName,
  unitId: u.unitId,
  deputyId: u.deputyId,
  ...(u.principal ? { principal: true } : {}),
});

export class SuggestionService {
  readonly repo: SuggestionRepository;
  private lifecycle: SuggestionLifecycle;
  constructor(
    private ds: DataSource,
    temporal: Client,
  ) {
    this.repo = new SuggestionRepository(ds);
    this.lifecycle = new SuggestionLifecycle(temporal);
  }

  async createDraft(
    user: SessionUser,
    input: { title: string; content: string; topic?: string; cosignerDeputyIds?: string[] },
    key: string | undefined,
    requestId: string,
  ) {
    if (user.role !== 'deputy' || !user.deputyId) throw problems.forbidden('only deputies draft suggestions');
    const cosigners = await this.checkCosigners(user, input.cosignerDeputyIds);
    return idempotent(
      this.ds,
      user.id,
      key,
      'POST /api/suggestions',
      async (m) => {
        const id = randomUUID();
        await this.repo.insert(m, {
          id,
          title: input.title,
          content: input.content,
          topic: input.topic,
          leadDeputyId: user.deputyId!,
          createdBy: user.id,
        });
        for (const c of cosigners)
          await m.query(`INSERT INTO suggestion_cosigners (suggestion_id, deputy_id) VALUES ($1, $2)`, [
            id,
            c,
          ]);
        await audit(m, {
          actorUserId: user.id,
          actorRole: user.role,
          action: 'suggestion.draft_created',
          entityType: 'suggestion',
          entityId: id,
          after: input,
          requestId,
        });
        return { status: 201, body: { id, title: input.title, content: input.content, status: 'draft' } };
      },
      input,
    );
  }

  private isLead(user: SessionUser, s: { leadDeputyId: string }) {
    return user.role === 'deputy' && !!user.deputyId && s.leadDeputyId === user.deputyId;
  }

  /** Edits a draft (title, content, topic, co-signers) until it is submitted; only its lead deputy may. */
  async updateDraft(
    user: SessionUser,
    id: string,
    input: { title: string; content: string; topic?: string; cosignerDeputyIds?: string[] },
    requestId: string,
  ) {
    const s = await this.repo.findVisible(user, id);
    if (!s) throw problems.notFound('suggestion');
    // 退回修改: a returned item is edited like a draft, then resubmitted; the reviewer's earlier view stays as a version.
    enforce(
      decide('edit', actorOf(user), {
        status: s.status as SuggestionStatus,
        isLeadDeputy: this.isLead(user, s),
      }),
    );
    const cosigners = await this.checkCosigners(user, input.cosignerDeputyIds);
    return this.ds.transaction(async (m) => {
      // Locks the row, so a submit racing with the edit sees either the old or the new text, never half.
      const rows: { status: string }[] = await m.query(
        `SELECT status FROM suggestions WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (rows[0]?.status !== s.status)
        throw problems.conflict(
          `suggestion is now ${rows[0]?.status}, it can no longer be edited`,
          '已提交的建议不能再修改',
        );
      await m.query(
        `UPDATE suggestions SET title = $2, content = $3, topic = COALESCE($4, topic), updated_at = now(),
           search_tsv = to_tsvector('simple', $5), search_segmented = true WHERE id = $1`,
        [id, input.title, input.content, input.topic ?? null, searchDocument(input.title, input.content)],
      );
      if (input.cosignerDeputyIds) {
        await m.query(
          `DELETE FROM suggestion_cosigners WHERE suggestion_id = $1 AND NOT (deputy_id = ANY($2::uuid[]))`,
          [id, cosigners],
        );
        for (const c of cosigners)
          await m.query(
            `INSERT INTO suggestion_cosigners (suggestion_id, deputy_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [id, c],
          );
      }
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: s.status === 'returned' ? 'suggestion.revised' : 'suggestion.draft_updated',
        entityType: 'suggestion',
        entityId: id,
        before: { title: s.title, content: s.content },
        after: input,
        requestId,
      });
      return {
        id,
        title: input.title,
        content: input.content,
        status: s.status,
        cosignerDeputyIds: input.cosignerDeputyIds ? cosigners : undefined,
      };
    });
  }

  /** The co-signers of a draft: known deputies, not the lead deputy, each once. */
  private async checkCosigners(user: SessionUser, ids: string[] | undefined): Promise<string[]> {
    const cosigners = [...new Set(ids ?? [])];
    if (cosigners.includes(user.deputyId!)) {
      throw problems.invalid([
        {
          field: 'cosignerDeputyIds',
          message: '联名代表:不能包含领衔代表本人',
          messageEn: 'the lead deputy cannot co-sign their own suggestion',
        },
      ]);
    }
    if (cosigners.length) {
      const found: { id: string }[] = await this.ds.query(
        `SELECT id FROM deputies WHERE id = ANY($1::uuid[])`,
        [cosigners],
      );
      const missing = cosigners.filter((c) => !found.some((f) => f.id === c));
      if (missing.length)
        throw problems.invalid([
          {
            field: 'cosignerDeputyIds',
            message: `联名代表:代表不存在(${missing.join('、')})`,
            messageEn: `unknown deputies: ${missing.join(', ')}`,
          },
        ]);
    }
    return cosigners;
  }

  /** Starts the suggestion's workflow. Idempotent by workflow id: a retried submit attaches to the running one. */
  async submit(user: SessionUser, id: string) {
    const s = await this.repo.findVisible(user, id);
    if (!s) throw problems.notFound('suggestion');
    // Who submits (the lead deputy); the state is checked below, where a retry answers the same.
    enforceWho(decide('submit', actorOf(user), { isLeadDeputy: this.isLead(user, s) }));
    // The item keeps the policy in force when it entered the process (the admin's choice, or the default).
    const policyVersion = await policyKeyForNewWork(this.ds);
    const cosigners: { deputy_id: string }[] = await this.ds.query(
      `SELECT deputy_id FROM suggestion_cosigners WHERE suggestion_id = $1 ORDER BY created_at`,
      [id],
    );
    const input: SuggestionWorkflowInput = {
      version: 1,
      suggestionId: id,
      leadDeputyId: s.leadDeputyId,
      policyVersion,
      submittedBy: actorOf(user),
      cosignerDeputyIds: cosigners.map((c) => c.deputy_id),
    };
    if (s.status !== 'draft') {
      // A retry after the workflow already moved it on answers the same; anything else is a conflict.
      if (await this.lifecycle.started(id))
        return { id, status: s.status, workflowId: suggestionWorkflowId(id) };
      throw problems.conflict(`suggestion is ${s.status}, only a draft can be submitted`);
    }
    const workflowId = await this.lifecycle.start(input);
    return { id, status: 'submitted', workflowId };
  }

  review(user: SessionUser, id: string, decision: ReviewDecision) {
    // A merge also checks its target; after the visibility check, so it reveals nothing to someone who may not merge.
    const check =
      decision.decision !== 'merge'
        ? undefined
        : async () => {
            enforceWho(decide('review_merge', actorOf(user), {}));
            const target: { status: string }[] = await this.ds.query(
              `SELECT status FROM suggestions WHERE id = $1`,
              [decision.intoSuggestionId],
            );
            const ok =
              ['submitted', 'accepted', 'assigned', 'handling'].includes(target[0]?.status ?? '') &&
              decision.intoSuggestionId !== id;
            if (!ok)
              throw problems.invalid([
                {
                  field: 'intoSuggestionId',
                  message: '并入的建议不存在或已不在办理中',
                  messageEn: 'the surviving suggestion does not exist or is no longer open',
                },
              ]);
          };
    return this.onItem(user, id, (w) => w.review(actorOf(user), decision), {
      check,
    });
  }
  /**
   * 退回修改 → 重新提交: the lead deputy may send the revised text with the resubmission (saved as an
   * edit of the returned item first), or resubmit what was saved with PATCH. The workflow gets the
   * co-signers as they now are, so notices reach the right deputies.
   */
  async resubmit(
    user: SessionUser,
    id: string,
    revision?: { title: string; content: string; topic?: string; cosignerDeputyIds?: string[] },
    requestId: string = randomUUID(),
  ) {
    if (revision) {
      const s = await this.repo.findVisible(user, id);
      if (!s) throw problems.notFound('suggestion');
      enforce(
        decide('resubmit', actorOf(user), {
          status: s.status as SuggestionStatus,
          isLeadDeputy: this.isLead(user, s),
        }),
      );
      await this.updateDraft(user, id, revision, requestId);
    }
    const cosigners: { deputy_id: string }[] = await this.ds.query(
      `SELECT deputy_id FROM suggestion_cosigners WHERE suggestion_id = $1 ORDER BY created_at`,
      [id],
    );
    return this.onItem(user, id, (w) =>
      w.resubmit(actorOf(user), { cosignerDeputyIds: cosigners.map((c) => c.deputy_id) }),
    );
  }
  withdraw(user: SessionUser, id: string) {
    return this.onItem(user, id, (w) => w.withdraw(actorOf(user)));
  }

  async assign(user: SessionUser, id: string, a: Assignment) {
    const refused = await this.unitsProblem(a);
    if (refused) throw refused;
    return this.onItem(user, id, (w) => w.assign(actorOf(user), a), {
      // The projection first: a 交办会 writes it in its transaction before the item's workflow hears of it.
      check: async () => {
        const s = await this.repo.findVisible(user, id);
        if (s) enforce(decide('assign', actorOf(user), { status: s.status as SuggestionStatus }));
      },
    });
  }
  /**
   * 交办会: hundreds of assignments at once, as one batch (assignment-meeting.workflow.ts): the units of
   * each distinct assignment are checked once, then one transaction checks each item against the rules
   * and writes every assignment that passes (records, status, event, audit); a refused item is listed
   * with its reason and nothing of it is written. Each written item's workflow then starts its units.
   * The same Idempotency-Key answers the same batch again (another body with it: 422).
   */
  async bulkAssign(user: SessionUser, items: { id: string; assignment: Assignment }[], key?: string) {
    const results: {
      id: string;
      ok: boolean;
      status?: string;
      problem?: { status: number; title: string; detail: string };
    }[] = [];
    // Units checked once per distinct assignment; an item whose units are refused is listed with the reason.
    const refusedUnits = new Map<string, HttpProblem | null>();
    for (const it of items) {
      const k = JSON.stringify(it.assignment);
      if (!refusedUnits.has(k)) refusedUnits.set(k, await this.unitsProblem(it.assignment));
    }
    const ok = items.filter((it) => refusedUnits.get(JSON.stringify(it.assignment)) === null);
    const requestHash = createHash('sha256').update(JSON.stringify(items)).digest('hex');
    const batchKey = createHash('sha256')
      .update(`${user.id}\u0000${key ?? randomUUID()}`)
      .digest('hex')
      .slice(0, 32);
    let outcome: AssignmentMeetingResult | null = null;
    if (ok.length > 0) {
      const batch = await this.lifecycle.assignmentMeeting(batchKey, {
        actor: actorOf(user),
        items: ok.map((it) => ({ suggestionId: it.id, assignment: it.assignment })),
        requestHash,
      });
      if (!batch.sameRequest)
        throw problems.invalid([
          {
            field: 'Idempotency-Key',
            message: '该幂等键已用于另一项交办',
            messageEn: 'this Idempotency-Key was used for another assignment',
          },
        ]);
      outcome = await batch.result();
    }
    const assigned = new Set(outcome?.assigned ?? []);
    const refused = new Map(outcome?.refused.map((r) => [r.suggestionId, r]));
    const untold = new Set(outcome?.untold ?? []);
    for (const it of items) {
      const unitsRefused = refusedUnits.get(JSON.stringify(it.assignment));
      const r = refused.get(it.id);
      if (assigned.has(it.id)) results.push({ id: it.id, ok: true, status: 'assigned' });
      else if (unitsRefused)
        results.push({
          id: it.id,
          ok: false,
          problem: { status: unitsRefused.status, title: unitsRefused.title, detail: unitsRefused.detail },
        });
      else if (r)
        results.push({ id: it.id, ok: false, problem: { status: r.status, title: r.zh, detail: r.en } });
      else
        results.push({
          id: it.id,
          ok: false,
          problem: untold.has(it.id)
            ? {
                status: 409,
                title: '已交办，但该建议的办理流程未响应',
                detail: 'assigned, but the item’s process did not answer',
              }
            : { status: 409, title: '未交办', detail: 'not assigned' },
        });
    }
    return { total: items.length, assigned: results.filter((r) => r.ok).length, results };
  }

  /** The problem with an assignment's units (unknown or inactive), or null when they may be assigned. */
  private async unitsProblem(a: Assignment): Promise<HttpProblem | null> {
    const units = a.mode === 'separate' ? a.unitIds : [a.leadUnitId, ...a.coUnitIds];
    try {
      await this.checkAssignable(
        units.map((u) => ({
          unitId: u,
          field: a.mode === 'separate' ? 'unitIds' : u === a.leadUnitId ? 'leadUnitId' : 'coUnitIds',
        })),
      );
      return null;
    } catch (err) {
      if (err instanceof HttpProblem) return err;
      throw err;
    }
  }

  rate(
    user: SessionUser,
    id: string,
    r: { rating: 'satisfied' | 'basically_satisfied' | 'unsatisfied'; comment?: string },
  ) {
    return this.onItem(user, id, (w) => w.rate(actorOf(user), r));
  }
  recordConsultation(user: SessionUser, id: string, summary: string) {
    return this.onItem(user, id, (w) => w.recordConsultation(actorOf(user), summary));
  }

  urge(user: SessionUser, id: string, u: { note: string; unitId?: string }) {
    return this.onItem(user, id, (w) => w.urge(actorOf(user), u));
  }
  /** 跟踪办理: the unit reports progress (or the final result) on its B/C reply. */
  reportFollowUp(user: SessionUser, id: string, unitId: string, f: { report: string; final: boolean }) {
    return this.onItem(user, id, (w) => w.reportFollowUp(actorOf(user), { unitId, ...f }), {
      check: () => enforceWho(decide('follow_up', actorOf(user), {}, { unitId, ownUnitId: unitId })),
    });
  }
  /**
   * 优秀建议: the reviewer or a supervisor names a replied or closed item excellent, with the reason. The
   * item's workflow may have ended (closed, published), so the API records it: the mark, the outbox event
   * (timeline, notices, the points rule) and the audit row in one transaction.
   */
  async markExcellent(user: SessionUser, id: string, reason: string, requestId: string) {
    const s = await this.repo.findVisible(user, id);
    if (!s) throw problems.notFound('suggestion');
    const [row]: { excellent: boolean; policyVersion: string | null }[] = await this.ds.query(
      `SELECT excellent, policy_version AS "policyVersion" FROM suggestions WHERE id = $1`,
      [id],
    );
    const status = s.status as SuggestionStatus;
    enforce(decide('mark_excellent', actorOf(user), { status, excellent: row?.excellent ?? false }));
    await this.ds.transaction(async (m) => {
      // Wrapped in a SELECT: TypeORM's query() answers a bare UPDATE … RETURNING with [rows, rowCount],
      // whose length is always 2, so a second concurrent marking would pass and write its event twice.
      const marked: unknown[] = await m.query(
        `WITH u AS (
           UPDATE suggestions SET excellent = true, excellent_reason = $2, excellent_by = $3, excellent_at = now()
           WHERE id = $1 AND NOT excellent AND status = $4 RETURNING id)
         SELECT id FROM u`,
        [id, reason, user.id, status],
      );
      if (!marked.length) enforce(decide('mark_excellent', actorOf(user), { status, excellent: true }));
      const cosigners: { deputyId: string }[] = await m.query(
        `SELECT deputy_id AS "deputyId" FROM suggestion_cosigners WHERE suggestion_id = $1 ORDER BY created_at`,
        [id],
      );
      const units: { unitId: string }[] = await m.query(
        `SELECT DISTINCT unit_id AS "unitId" FROM assignments WHERE suggestion_id = $1`,
        [id],
      );
      await appendOutbox(m, {
        id: randomUUID(),
        version: 1,
        type: 'suggestion.marked_excellent',
        suggestionId: id,
        occurredAt: new Date().toISOString(),
        actor: { userId: user.id, role: user.role as Actor['role'], name: user.displayName },
        policyVersion: row?.policyVersion ?? DEFAULT_POLICY_KEY,
        data: {
          from: status,
          to: status,
          audience: {
            deputyIds: [
              s.leadDeputyId,
              ...cosigners.map((c) => c.deputyId).filter((d) => d !== s.leadDeputyId),
            ],
            unitIds: units.map((u) => u.unitId),
          },
          reason,
        },
      });
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'suggestion.marked_excellent',
        entityType: 'suggestion',
        entityId: id,
        after: { excellent: true, reason },
        requestId,
      });
    });
    return { id, status, excellent: true as const, excellentReason: reason };
  }
  /** 不予公开: the reviewer marks the item confidential, or the lead deputy objects to publication. */
  withholdPublication(user: SessionUser, id: string, reason: string) {
    return this.onItem(user, id, (w) => w.withholdPublication(actorOf(user), reason));
  }
  /** 退回重办: the reviewer sends a unit's reply back before the deputy rates it. */
  sendBackReply(user: SessionUser, id: string, unitId: string, reason: string) {
    return this.onItem(user, id, (w) => w.sendBackReply(actorOf(user), unitId, reason));
  }
  /** 重点督办: a handling unit's progress report for the current period. */
  reportProgress(user: SessionUser, id: string, unitId: string, summary: string) {
    return this.onItem(user, id, (w) => w.reportProgress(actorOf(user), unitId, summary), {
      check: () => {
        enforceWho(decide('progress_report', actorOf(user), {}, { unitId, ownUnitId: unitId }));
      },
    });
  }
  setKeySupervision(user: SessionUser, id: string, k: { supervisingLeaderId?: string }) {
    return this.onItem(user, id, (w) => w.setKeySupervision(actorOf(user), k), {
      // The supervising leader is one of the 督办领导 (GET /api/directory/supervisors).
      check: async () => {
        if (!k.supervisingLeaderId) return;
        const found: unknown[] = await this.ds.query(
          `SELECT 1 FROM users WHERE id = $1 AND role = 'supervisor' AND active`,
          [k.supervisingLeaderId],
        );
        if (!found.length)
          throw problems.invalid([
            {
              field: 'supervisingLeaderId',
              message: '督办领导不存在',
              messageEn: 'the supervising leader is not a supervisor',
            },
          ]);
      },
    });
  }

  /** Units that may be given new work: known and not deactivated (撤并) by an admin; a 422 names the field. */
  private async checkAssignable(wanted: { unitId: string; field: string }[]) {
    const known: { id: string; name: string; active: boolean }[] = await this.ds.query(
      `SELECT id, name, active FROM units WHERE id = ANY($1::uuid[])`,
      [wanted.map((w) => w.unitId)],
    );
    const refused = wanted
      .map((w) => ({ ...w, k: known.find((k) => k.id === w.unitId) }))
      .filter(({ k }) => !k || !k.active);
    if (refused.length)
      throw problems.invalid(
        refused.map(({ unitId, field, k }) => ({
          field,
          message: k ? `承办单位已撤并，不能交办:${k.name}` : `承办单位不存在:${unitId}`,
          messageEn: k ? `unit ${k.name} is deactivated and cannot be assigned` : `unknown unit ${unitId}`,
        })),
      );
  }

  /** The reviewer's or coordinator's decision on a unit's re-assignment or extension request. */
  async decideUnitRequest(user: SessionUser, id: string, unitId: string, d: RequestDecision) {
    if (d.approve && d.newUnitId) await this.checkAssignable([{ unitId: d.newUnitId, field: 'newUnitId' }]);
    return this.onUnit(user, id, unitId, (w) => w.decideRequest(actorOf(user), d));
  }

  /** The unit's steps on its handling workflow of the latest round it has a part in. */
  private async currentUnitSteps(id: string, unitId: string): Promise<UnitSteps> {
    const rows: { round: number }[] = await this.ds.query(
      `SELECT max(round)::int AS round FROM assignments WHERE suggestion_id = $1 AND unit_id = $2`,
      [id, unitId],
    );
    const round = rows[0]?.round;
    if (!round) throw problems.notFound('assignment');
    return this.lifecycle.unit(id, unitId, round);
  }

  /** A unit's step goes to that unit's child workflow for the current round; only that unit's people may act. */
  unitStep(user: SessionUser, id: string, unitId: string, step: UnitStep) {
    return this.onUnit(user, id, unitId, (w) => w.step(actorOf(user), step), {
      check: async () => {
        // Who may take this step on this unit's part (role, then unit); the state is the workflow's.
        enforceWho(decide(unitActionOf(step), actorOf(user), {}, { ownUnitId: unitId }));
        // A co-handler's part that ended with the lead's reply accepts nothing more.
        const part: { status: string }[] = await this.ds.query(
          `SELECT status FROM assignments WHERE suggestion_id = $1 AND unit_id = $2 ORDER BY round DESC LIMIT 1`,
          [id, unitId],
        );
        if (part[0]?.status === 'closed')
          throw problems.conflict(
            "the lead unit has replied: this co-handler's part has ended",
            '主办单位已答复,本单位的协办已随之结束',
          );
      },
    });
  }

  /**
   * Every human step on a visible item goes through here: visibility first (404 reveals nothing),
   * then the caller's own check, then the update to the item's workflow (onItem) or to that unit's
   * workflow of the current round (onUnit); a validator's refusal becomes 403 or 409.
   */
  private onItem<T>(
    user: SessionUser,
    id: string,
    run: (w: ItemSteps) => Promise<T>,
    opts: { check?: () => void | Promise<void> } = {},
  ): Promise<T> {
    return this.guarded(user, id, opts.check, async () => run(this.lifecycle.item(id)));
  }

  private onUnit<T>(
    user: SessionUser,
    id: string,
    unitId: string,
    run: (w: UnitSteps) => Promise<T>,
    opts: { check?: () => void | Promise<void> } = {},
  ): Promise<T> {
    return this.guarded(user, id, opts.check, async () => run(await this.currentUnitSteps(id, unitId)));
  }

  private async guarded<T>(
    user: SessionUser,
    id: string,
    check: (() => void | Promise<void>) | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    const s = await this.repo.findVisible(user, id);
    if (!s) throw problems.notFound('suggestion');
    if (s.status === 'draft') throw problems.conflict('suggestion has not been submitted');
    await check?.();
    try {
      return await send();
    } catch (err) {
      throw toProblem(err);
    }
  }
}

/** The rules module's name of a unit step. */
function unitActionOf(step: UnitStep): UnitAction {
  switch (step.kind) {
    case 'sign-in':
      return 'sign_in';
    case 'sign-off':
      return 'sign_off';
    case 'send':
      return 'send_reply';
    case 'contact':
      return 'contact';
    case 'draft':
      return 'draft_reply';
    case 'opinion':
      return 'opinion';
    case 'request':
      return step.request.kind === 'reassignment' ? 'request_reassignment' : 'request_extension';
  }
}

export function toProblem(err: unknown): unknown {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const [zh, en] = (cause.message ?? '').split(' / ');
    if (cause.type === 'Forbidden') return new HttpProblem(403, zh ?? '无权执行此操作', en ?? cause.message);
    if (cause.type === 'WrongState') {
      // A rule about one input (e.g. a B reply needs its promised date) names it, as validation does.
      const field = (cause.details?.[0] as { field?: unknown } | undefined)?.field;
      const errors =
        typeof field === 'string' ? [{ field, message: zh ?? '', messageEn: en ?? cause.message }] : [];
      return new HttpProblem(409, zh ?? '当前状态不允许此操作', en ?? cause.message, errors);
    }
  }
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'WorkflowNotFoundError') {
    return problems.conflict('the suggestion is no longer in a running process', '该建议的办理流程已结束');
  }
  // Temporal or PostgreSQL down for a moment: 503 with Retry-After (a 交办会 lists it per item).
  return unavailableProblem(err) ?? err;
}
