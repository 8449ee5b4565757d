/**
 * Activities do the workflow's I/O. Built by a factory that takes their dependencies, so tests can
 * pass a real data source pointed at a test database.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import { appendOutbox, audit, suggestionWorkflowId } from '@jianyi/platform';
import {
  computeDeadline,
  reminderInstants,
  suggestionEventSchema,
  policyDeadline,
  type Duration,
  type JurisdictionPolicy,
  type PolicyDeadlineName,
  type PolicyRegistry,
  type SuggestionEvent,
  type SuggestionStatus,
  type WorkCalendar,
} from '@jianyi/domain';
import { assignMany, type AssignManyInput, type AssignManyResult } from './assign-many';
import { runEffect, type Effect } from './effects';
import { tellLinkedMessages } from './message.activities';
import { plannedAssignment, type TellAssignmentsInput } from '../workflows/assignment-meeting.messages';
import { assignmentWrittenSignal } from '../workflows/suggestion.messages';

export type { Effect } from './effects';

export interface ApplyStepInput {
  suggestionId: string;
  /** A status change, checked against the stored status; absent for steps that keep the status. */
  transition?: { from: SuggestionStatus; to: SuggestionStatus };
  event: SuggestionEvent;
  registrationNo?: string | null;
  effects?: Effect[];
}

/** 受理: the accepted event without its registration number, and whether the item's policy may change. */
export interface AcceptStepInput {
  suggestionId: string;
  transition: { from: SuggestionStatus; to: SuggestionStatus };
  event: SuggestionEvent;
  effects?: Effect[];
  /** Executions from before patch `policy-at-acceptance` keep the policy they were submitted under. */
  policyAtAcceptance: boolean;
}

type Queryable = Pick<EntityManager, 'query'>;

/** 立案号 such as `2026-第0153号`: one counter per year, incremented under its row lock until the commit. */
async function drawRegistrationNo(m: Queryable): Promise<string> {
  const year = new Date().getFullYear();
  const rows: { last_no: number }[] = await m.query(
    `INSERT INTO registration_counters (year, last_no) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_no = registration_counters.last_no + 1 RETURNING last_no`,
    [year],
  );
  return `${year}-第${String(rows[0]!.last_no).padStart(4, '0')}号`;
}

export interface ClockPlan {
  deadlineAt: string;
  marks: { level: 'reminder' | 'yellow' | 'red'; fraction: number | null; at: string }[];
}

/** The calendar as a value (tests) or a loader (the worker reads the admin-editable table, cached). */
export type CalendarSource = WorkCalendar | (() => Promise<WorkCalendar>);

export function createActivities({
  ds,
  policies,
  calendar: source,
}: {
  ds: DataSource;
  policies: PolicyRegistry;
  calendar: CalendarSource;
}) {
  const cal = async (): Promise<WorkCalendar> => (typeof source === 'function' ? source() : source);
  const marksFor = (
    calendar: WorkCalendar,
    policy: JurisdictionPolicy,
    start: string,
    deadlineAt: string,
  ): ClockPlan => {
    const s = reminderInstants(calendar, start, deadlineAt, policy.reminders);
    const marks: ClockPlan['marks'] = s.reminders.map((r) => ({
      level: 'reminder' as const,
      fraction: r.fraction,
      at: r.notifyAt,
    }));
    if (s.yellowNotifyAt) marks.push({ level: 'yellow', fraction: null, at: s.yellowNotifyAt });
    marks.push({ level: 'red', fraction: null, at: s.overdueNotifyAt });
    marks.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { deadlineAt, marks };
  };
  /** 交办 by 届次 (see the activity `assignmentClock`). */
  const assignmentPlan = async (
    suggestionId: string,
    policyVersion: string,
    now: string,
  ): Promise<ClockPlan & { clock: PolicyDeadlineName; sessionId: string | null }> => {
    const rows: { id: string; ends_on: string }[] = await ds.query(
      `SELECT cs.id, cs.ends_on::text AS ends_on FROM suggestions s
       JOIN congress_sessions cs ON (s.submitted_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN cs.starts_on AND cs.ends_on
       WHERE s.id = $1 ORDER BY cs.starts_on LIMIT 1`,
      [suggestionId],
    );
    const policy = policies.get(policyVersion);
    const calendar = await cal();
    const session = rows[0];
    // The session closes at the end of its last day (China time).
    const start = session ? new Date(`${session.ends_on}T23:59:59.999+08:00`).toISOString() : now;
    const clock: PolicyDeadlineName = session ? 'assignmentAfterSession' : 'assignmentBetweenSessions';
    return {
      ...marksFor(calendar, policy, start, policyDeadline(calendar, policy, clock, start)),
      clock,
      sessionId: session?.id ?? null,
    };
  };
  const planFor = async (policyVersion: string, clock: PolicyDeadlineName, start: string) => {
    const policy = policies.get(policyVersion);
    const calendar = await cal();
    return marksFor(calendar, policy, start, policyDeadline(calendar, policy, clock, start));
  };
  const unitPolicyOf = async (policyVersion: string, start: string, capFrom?: string) => {
    const policy = policies.get(policyVersion);
    const calendar = await cal();
    return {
      pauseClockDuringReassignment: policy.pauseClockDuringReassignment,
      extensionMaxCount: policy.extension.maxCount,
      extensionMaxEach: policy.extension.maxEach,
      reassignmentUntil: policyDeadline(calendar, policy, 'reassignmentRequest', start),
      handlingCap: policyDeadline(calendar, policy, 'maxHandling', capFrom ?? start),
      /** Who signs an ordinary reply and a reply on a key item (重点督办). */
      signOff: policy.signOff,
    };
  };
  /** One step's writes in the caller's transaction (see applyStep). */
  const writeStep = async (m: EntityManager, input: ApplyStepInput): Promise<void> => {
    const rows: { status: SuggestionStatus }[] = await m.query(
      `SELECT status FROM suggestions WHERE id = $1 FOR UPDATE`,
      [input.suggestionId],
    );
    const current = rows[0]?.status;
    if (current === undefined)
      throw ApplicationFailure.nonRetryable(`suggestion ${input.suggestionId} not found`, 'StaleState');
    const t = input.transition;
    if (t && current !== t.from && current !== t.to) {
      throw ApplicationFailure.nonRetryable(
        `suggestion ${input.suggestionId} is ${current}, expected ${t.from}`,
        'StaleState',
      );
    }
    // 交办会: a batch assigned the item in its own transaction (it locked the row first); a second
    // assignment is refused whole (the workflow then adopts the batch's), unless this is a retry of it.
    if (t?.to === 'assigned' && t.from === 'accepted' && current === 'assigned') {
      const mine: unknown[] = await m.query(`SELECT 1 FROM outbox WHERE event_id = $1`, [input.event.id]);
      if (mine.length === 0)
        throw ApplicationFailure.nonRetryable(
          `suggestion ${input.suggestionId} was assigned by a 交办会 meanwhile`,
          'AlreadyAssigned',
        );
    }
    // Steps that keep the status describe it as it is.
    const event = t
      ? input.event
      : ({
          ...input.event,
          data: { ...input.event.data, from: current, to: current },
        } as SuggestionEvent);
    // Already applied by an earlier attempt (the item's row lock above keeps a concurrent one out).
    const seen: unknown[] = await m.query(`SELECT 1 FROM outbox WHERE event_id = $1`, [event.id]);
    if (seen.length > 0) return;
    for (const e of input.effects ?? []) {
      // The lead deputy's objection (不同意公开) withholds publication; it does not make the item
      // confidential (涉密), which is the reviewer's mark and hides the item from mail and robots.
      if (e.kind === 'confidential' && !marksConfidential(event)) continue;
      await runEffect(m, input.suggestionId, e, event.occurredAt);
    }
    // 退回修改: each (re)submission keeps the text the reviewer is shown, as a numbered version.
    if (event.type === 'suggestion.submitted') {
      await m.query(
        `INSERT INTO suggestion_versions (id, suggestion_id, version, title, content, cosigner_deputy_ids, submitted_by, created_at)
         SELECT gen_random_uuid(), s.id,
           COALESCE((SELECT max(v.version) FROM suggestion_versions v WHERE v.suggestion_id = s.id), 0) + 1,
           s.title, s.content,
           COALESCE(ARRAY(SELECT c.deputy_id FROM suggestion_cosigners c WHERE c.suggestion_id = s.id ORDER BY c.created_at), '{}'),
           $2, $3
         FROM suggestions s WHERE s.id = $1`,
        [input.suggestionId, event.actor.userId ?? null, event.occurredAt],
      );
    }
    if (t) {
      // The item's policy as its workflow holds it (a 交办会 plans the units' clocks from it).
      await m.query(
        `UPDATE suggestions SET status = $2::varchar, updated_at = now(),
           submitted_at = CASE WHEN $2::varchar = 'submitted' THEN $3::timestamptz ELSE submitted_at END,
           registration_no = COALESCE($4, registration_no),
           policy_version = COALESCE($5, policy_version)
         WHERE id = $1`,
        [
          input.suggestionId,
          t.to,
          event.occurredAt,
          input.registrationNo ?? null,
          event.policyVersion ?? null,
        ],
      );
    }
    await audit(m, {
      actorUserId: event.actor.userId,
      actorRole: event.actor.role,
      action: event.type,
      entityType: 'suggestion',
      entityId: input.suggestionId,
      before: t ? { status: t.from } : null,
      after: {
        ...(t ? { status: t.to } : {}),
        ...(input.registrationNo ? { registrationNo: input.registrationNo } : {}),
        ...(input.effects?.length ? { effects: input.effects.map((e) => e.kind) } : {}),
      },
    });
    // The event last: appendOutbox holds the lock that keeps outbox ids visible in id order from its
    // insert to the commit, which every step of every item waits for; taken last, it is held for one
    // statement and the commit instead of the whole step (issue 13: steps queued on it under load).
    if (!(await appendOutbox(m, event)))
      throw new Error(`event ${event.id} was written by a concurrent attempt`); // rolls this one back
    // 一码通: the constituents whose messages became (or joined) this suggestion are told of its answer.
    if (event.type === 'suggestion.replied')
      await tellLinkedMessages(m, input.suggestionId, event.occurredAt);
  };
  /** The event as the contract wants it; a refused one fails the step at once (retrying cannot fix it). */
  const checkEvent = (input: ApplyStepInput) => {
    // (A step that keeps the status gets from/to in the transaction: any status stands in here.)
    const parsed = suggestionEventSchema.safeParse(
      input.transition
        ? input.event
        : { ...input.event, data: { ...input.event.data, from: 'draft', to: 'draft' } },
    );
    if (!parsed.success)
      throw ApplicationFailure.nonRetryable(
        `invalid ${String((input.event as { type?: unknown })?.type)} event: ${parsed.error.message}`,
        'InvalidEvent',
      );
  };
  /**
   * The policy an item keeps from its acceptance on: the one the admin put in force, if that
   * choice was made after the item was submitted; otherwise the one it was submitted under
   * (which was in force then, or named explicitly by the deployment or a test). A test-only policy
   * is never replaced: it was pinned by a test, which an admin's choice must not disturb.
   */
  const policyKept = async (
    q: Queryable,
    suggestionId: string,
    submittedVersion: string,
  ): Promise<string> => {
    if (policies.find(submittedVersion)?.testOnly) return submittedVersion;
    const rows: { policy_key: string }[] = await q.query(
      `SELECT c.policy_key FROM policy_choices c, suggestions s
       WHERE s.id = $1 AND c.chosen_at > COALESCE(s.submitted_at, s.created_at) ORDER BY c.id DESC LIMIT 1`,
      [suggestionId],
    );
    const chosen = rows[0]?.policy_key;
    return chosen && policies.has(chosen) ? chosen : submittedVersion;
  };
  return {
    /**
     * One step of the process in one transaction: the record writes, the new status, the outbox
     * event and the audit row. Idempotent: a retry finds the event id already in the outbox and
     * does nothing.
     */
    async applyStep(input: ApplyStepInput): Promise<void> {
      // An event the contract refuses is a bug in the caller, not a passing failure: retrying cannot
      // fix it, so it fails the step at once (and the workflow task shows why) instead of forever.
      checkEvent(input);
      await ds.transaction((m) => writeStep(m, input));
    },

    /**
     * 受理 (accept) in ONE transaction (patch `local-steps`; older executions ran nextRegistrationNo,
     * policyAtAcceptance and applyStep, three activities in a row): the registration number is drawn,
     * the policy the item keeps is chosen and the step is written with its event. The event comes from
     * the workflow without the two (its id, time and actor are the workflow's); they are filled in here.
     * Idempotent: a retry after the commit finds its event in the outbox and answers what was written,
     * and a rolled-back attempt gives its number back (no gap in the year's numbers).
     */
    async acceptStep(input: AcceptStepInput): Promise<{ registrationNo: string; policyVersion: string }> {
      return ds.transaction(async (m) => {
        const rows: { registration_no: string | null; policy_version: string | null }[] = await m.query(
          `SELECT registration_no, policy_version FROM suggestions WHERE id = $1 FOR UPDATE`,
          [input.suggestionId],
        );
        const row = rows[0];
        if (!row)
          throw ApplicationFailure.nonRetryable(`suggestion ${input.suggestionId} not found`, 'StaleState');
        const done: unknown[] = await m.query(`SELECT 1 FROM outbox WHERE event_id = $1`, [input.event.id]);
        if (done.length > 0 && row.registration_no)
          return {
            registrationNo: row.registration_no,
            policyVersion: row.policy_version ?? input.event.policyVersion,
          };
        const submitted = input.event.policyVersion;
        const policyVersion = input.policyAtAcceptance
          ? await policyKept(m, input.suggestionId, submitted)
          : submitted;
        const registrationNo = row.registration_no ?? (await drawRegistrationNo(m));
        const step: ApplyStepInput = {
          suggestionId: input.suggestionId,
          transition: input.transition,
          event: {
            ...input.event,
            policyVersion,
            data: { ...input.event.data, registrationNo },
          } as SuggestionEvent,
          registrationNo,
          effects:
            policyVersion !== submitted
              ? [...(input.effects ?? []), { kind: 'policy', version: policyVersion }]
              : input.effects,
        };
        checkEvent(step);
        await writeStep(m, step);
        return { registrationNo, policyVersion };
      });
    },

    /**
     * Writes the item's pre-review or assignment deadline to the projection (no event: the clock's
     * start is not a step of the process), so lists and the deputy's 我的期限 show it before assignment.
     */
    async projectItemDeadline(input: {
      suggestionId: string;
      status: 'submitted' | 'accepted';
      deadlineAt: string;
    }): Promise<void> {
      await ds.transaction((m) =>
        runEffect(
          m,
          input.suggestionId,
          { kind: 'item_deadline', status: input.status, deadlineAt: input.deadlineAt },
          new Date().toISOString(),
        ),
      );
    },

    /** 立案号 of an item (older executions: drawn before the step, see acceptStep). Stable on retry. */
    async nextRegistrationNo(suggestionId: string): Promise<string> {
      return ds.transaction(async (m) => {
        const existing: { registration_no: string | null }[] = await m.query(
          `SELECT registration_no FROM suggestions WHERE id = $1`,
          [suggestionId],
        );
        return existing[0]?.registration_no ?? drawRegistrationNo(m);
      });
    },

    /** Warning marks for a deadline that moved (extension, paused clock). */
    async planMarks(policyVersion: string, start: string, deadlineAt: string): Promise<ClockPlan> {
      return marksFor(await cal(), policies.get(policyVersion), start, deadlineAt);
    },

    /**
     * The policy numbers a unit's workflow checks in its validators (extension limits, clock pause).
     * The handling cap counts from `capFrom`, the item's assignment (older executions: the unit's start).
     */
    async unitPolicy(policyVersion: string, start: string, capFrom?: string) {
      return unitPolicyOf(policyVersion, start, capFrom);
    },

    /** 交办会: many items checked and assigned in one transaction (assign-many.ts). */
    async assignMany(input: AssignManyInput): Promise<AssignManyResult> {
      return assignMany(ds, { clock: planFor, unitPolicy: unitPolicyOf }, input);
    },

    /**
     * 交办会: tells each written item's workflow its assignment (signal `assignmentWritten`), 32 at a
     * time from the worker's client. An item whose workflow no longer runs (ended by hand) is listed;
     * any other failure fails the activity, whose retry tells every item again (an item adopts the
     * first assignment it is told and ignores a repeat).
     */
    async tellAssignments(input: TellAssignmentsInput): Promise<{ untold: string[] }> {
      const client = Context.current().client;
      const untold: string[] = [];
      let next = 0;
      const tell = async () => {
        for (let i = next++; i < input.written.length; i = next++) {
          const w = input.written[i]!;
          try {
            await client.workflow
              .getHandle(suggestionWorkflowId(w.suggestionId))
              .signal(assignmentWrittenSignal, plannedAssignment(input, w, input.batch));
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            untold.push(w.suggestionId);
          }
          if (i % 100 === 99) Context.current().heartbeat(i + 1);
        }
      };
      await Promise.all(Array.from({ length: Math.min(32, input.written.length) }, tell));
      return { untold };
    },

    /** When the next monthly (per policy) progress report on a key item falls due, counted from `from`. */
    async nextProgressReport(policyVersion: string, from: string): Promise<{ at: string }> {
      return {
        at: computeDeadline(
          await cal(),
          from,
          policies.get(policyVersion).keySupervision.progressReportEvery,
        ),
      };
    },

    /** The policy an item keeps from its acceptance on (older executions; see acceptStep and policyKept). */
    async policyAtAcceptance(suggestionId: string, submittedVersion: string): Promise<{ version: string }> {
      return { version: await policyKept(ds, suggestionId, submittedVersion) };
    },

    /** A deadline moved on by a duration, not past the total handling cap. */
    async extendDeadline(
      deadlineAt: string,
      amount: Duration,
      cap: string,
    ): Promise<{ deadlineAt: string; capped: boolean }> {
      const next = computeDeadline(await cal(), deadlineAt, amount);
      return Date.parse(next) > Date.parse(cap)
        ? { deadlineAt: cap, capped: true }
        : { deadlineAt: next, capped: false };
    },

    /**
     * A unit's clock planned again on the calendar as it is now (fresh from the table: an admin has
     * just loaded a year), with the extensions and paused time it had, in order, under the cap.
     */
    async replanClock(input: {
      policyVersion: string;
      clock: PolicyDeadlineName;
      startedAt: string;
      adjustments: ({ kind: 'extension'; amount: Duration } | { kind: 'pause'; ms: number })[];
      /** The item's assignment, from which the handling cap counts (absent: the unit's start). */
      capFrom?: string;
    }): Promise<ClockPlan> {
      if (typeof source === 'function' && 'invalidate' in source)
        (source as { invalidate: () => void }).invalidate();
      const policy = policies.get(input.policyVersion);
      const calendar = await cal();
      const cap = policyDeadline(calendar, policy, 'maxHandling', input.capFrom ?? input.startedAt);
      let deadlineAt = policyDeadline(calendar, policy, input.clock, input.startedAt);
      for (const a of input.adjustments) {
        if (a.kind === 'pause') deadlineAt = new Date(Date.parse(deadlineAt) + a.ms).toISOString();
        else {
          const next = computeDeadline(calendar, deadlineAt, a.amount);
          deadlineAt = Date.parse(next) > Date.parse(cap) ? cap : next;
        }
      }
      return marksFor(calendar, policy, input.startedAt, deadlineAt);
    },

    /**
     * The assignment (交办) clock of an accepted item, by 届次: an item submitted during a congress
     * session (a day within its dates, China time) is assigned at the 交办会 under the policy's
     * after-session clock, counted from the session's close; any other (闭会期间) within the
     * between-sessions days of `now` (its acceptance).
     */
    async assignmentClock(
      suggestionId: string,
      policyVersion: string,
      now: string,
    ): Promise<ClockPlan & { clock: PolicyDeadlineName; sessionId: string | null }> {
      return assignmentPlan(suggestionId, policyVersion, now);
    },

    /**
     * One of the item's own clocks (pre-review, assignment, evaluation) planned again from its start on
     * the calendar as it is now (fresh from the table: an admin has just loaded a year).
     */
    async replanItemClock(input: {
      suggestionId: string;
      policyVersion: string;
      clock: 'preReview' | 'assignment' | 'evaluation';
      start: string;
    }): Promise<ClockPlan> {
      if (typeof source === 'function' && 'invalidate' in source)
        (source as { invalidate: () => void }).invalidate();
      if (input.clock === 'assignment') {
        const { deadlineAt, marks } = await assignmentPlan(
          input.suggestionId,
          input.policyVersion,
          input.start,
        );
        return { deadlineAt, marks };
      }
      return planFor(input.policyVersion, input.clock, input.start);
    },

    /** A deadline and its warning marks (50%/75% reminders, yellow, red) from the item's policy and the working-day calendar. */
    async planClock(policyVersion: string, clock: PolicyDeadlineName, start: string): Promise<ClockPlan> {
      const policy = policies.get(policyVersion);
      const calendar = await cal();
      return marksFor(calendar, policy, start, policyDeadline(calendar, policy, clock, start));
    },
  };
}
export type Activities = ReturnType<typeof createActivities>;

/** Only the reviewer's 涉密 decision marks an item confidential (not the deputy's objection). */
function marksConfidential(event: SuggestionEvent): boolean {
  return event.type !== 'suggestion.publication_withheld' || event.data.kind === 'confidential';
}
