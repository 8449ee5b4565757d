/**
 * One workflow per suggestion (id `suggestion-<id>`): the source of truth for where the item is,
 * from submission to publication. Human steps are updates with validators, so a wrong role or a
 * wrong state is refused before anything is written. Each unit handles in a child workflow with
 * its own clock. I/O happens only in activities.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import {
  decide,
  terminalStatuses,
  transition,
  type Actor,
  type ItemFacts,
  type Rating,
  type RuleAction,
  type SuggestionAction,
  type SuggestionEvent,
} from '@jianyi/domain';
import { SA } from '../search-attributes';
import type { Effect } from '../activities/effects';
import { acts, enforce, makeEvent, SYSTEM, wrongState } from './steps';
import {
  addFollowersSignal,
  assignUpdate,
  closePartSignal,
  consultationUpdate,
  followUpUpdate,
  keyItemSignal,
  keySupervisionUpdate,
  progressReportUpdate,
  withholdPublicationUpdate,
  rateUpdate,
  urgeUpdate,
  resubmitUpdate,
  reviewUpdate,
  sendBackReplyUpdate,
  stateQuery,
  unitSignedInSignal,
  unitWorkflowId,
  withdrawUpdate,
  type Assignment,
  type ReviewDecision,
  type UnitResult,
  type SuggestionState,
  type SuggestionWorkflowInput,
  type UnitHandlingInput,
  type UnitRole,
} from './suggestion.messages';
import { unitHandlingWorkflow } from './unit-handling.workflow';

export * from './suggestion.messages';
export { unitHandlingWorkflow } from './unit-handling.workflow';

function reviewAction(d: ReviewDecision): SuggestionAction {
  switch (d.decision) {
    case 'accept':
      return { type: 'accept', registrationNo: '' };
    case 'return':
      return { type: 'return', comments: d.comments };
    case 'reject':
      return { type: 'reject', reason: d.reason };
    case 'convert':
      return { type: 'convert' };
    case 'merge':
      return { type: 'merge', intoSuggestionId: d.intoSuggestionId };
  }
}
const reviewEventType = {
  accept: 'suggestion.accepted',
  return: 'suggestion.returned',
  reject: 'suggestion.rejected',
  convert: 'suggestion.converted',
  merge: 'suggestion.merged',
} as const;

export async function suggestionWorkflow(input: SuggestionWorkflowInput): Promise<SuggestionState> {
  const state: SuggestionState = {
    suggestionId: input.suggestionId,
    status: 'draft',
    registrationNo: null,
    reviewRounds: 0,
    round: 1,
    assignment: null,
    ratings: [],
    evaluationDeadline: null,
  };
  const audience = {
    deputyIds: [input.leadDeputyId, ...(input.cosignerDeputyIds ?? [])],
    unitIds: [] as string[],
  };
  /** 联名代表 as last submitted (the lead deputy may change them when revising a returned item). */
  let cosigners = input.cosignerDeputyIds;
  // The policy version can change once, at acceptance (see apply); every later step uses base.policyVersion.
  const base = { suggestionId: input.suggestionId, policyVersion: input.policyVersion, audience };
  // Later versions of this workflow; executions started before them replay on their old path.
  const policyAtAcceptance = patched('policy-at-acceptance');
  const keyItems = patched('key-items');
  const stepClocks = patched('step-clocks');
  // Read through a function: TypeScript would otherwise keep a narrowed status across awaits.
  const statusNow = () => state.status;
  let busy = false;
  /** The status a step in flight is writing: the projection may already show it to the user. */
  let pendingTo: SuggestionState['status'] | null = null;
  let pendingRating: { rating: Rating; comment: string | null; by: Actor } | null = null;
  let consultation: { summary: string; by: Actor } | null = null;
  /** Who assigned the item (交办), from the assign update. */
  let assigner: Actor | null = null;

  /**
   * The item as the rules (@jianyi/domain `decide()`) see it for this actor; judged against the status
   * a step in flight is writing (the user may already see it) unless `settled` asks for the status written.
   */
  const facts = (actor: Actor, settled = false): ItemFacts => {
    const lead = actor.role === 'deputy' && actor.userId === input.submittedBy.userId;
    const rated = state.ratings.some((x) => x.round === state.round);
    const current = state.ratings.find((x) => x.round === state.round);
    return {
      status: settled ? state.status : (pendingTo ?? state.status),
      isLeadDeputy: lead,
      isCosigner: isCosigner(actor),
      round: state.round,
      assigned: state.assignment !== null,
      keySupervision,
      publicationWithheld: input.confidential === true || !!state.publicationWithheld,
      // The lead's rating counts from the moment it is given; a co-signer waits only for a recorded one.
      ratedThisRound: rated || (lead && pendingRating !== null),
      cosignerRatedThisRound: !!state.cosignerRatings?.some(
        (x) => x.round === state.round && x.deputyId === actor.deputyId,
      ),
      replyReturnPending: sendBack !== null,
      awaitingConsultation: state.round >= 2 && current?.rating === 'unsatisfied',
      handlingUnitIds: audience.unitIds,
      replyingUnitIds: lastReplies.filter((x) => x.role !== 'co').map((x) => x.unitId),
      followUpUnitIds: (state.followUps ?? []).filter((x) => !x.done).map((x) => x.unitId),
      progressOpen: !!state.progress,
      progressReportedUnitIds: state.progress?.reported ?? [],
    };
  };
  /** Refuses what the rules do not allow this actor now (runs in validators, before any write). */
  const guard = (
    actor: Actor,
    action: RuleAction,
    extra: Parameters<typeof decide>[3] = {},
    settled = false,
  ) => enforce(decide(action, actor, facts(actor, settled), extra));

  /** Applies a status change: records + projection + outbox row + audit in one transaction (activity). */
  const apply = async (
    actor: Actor,
    action: SuggestionAction,
    type: SuggestionEvent['type'],
    extra: Record<string, unknown> = {},
    effects: Effect[] = [],
  ) => {
    // One step at a time: wait for a step in flight, then check again against the status it wrote.
    while (busy) await condition(() => !busy);
    const t = transition(state.status, action);
    if (!t.ok) throw wrongState(t.reason.zh, t.reason.en);
    busy = true;
    pendingTo = t.status;
    try {
      const from = state.status;
      let registrationNo: string | null = null;
      if (action.type === 'accept') {
        registrationNo = await acts.nextRegistrationNo(input.suggestionId);
        // An item keeps the policy in force when it was accepted.
        if (policyAtAcceptance) {
          const p = await acts.policyAtAcceptance(input.suggestionId, base.policyVersion);
          if (p.version !== base.policyVersion) {
            base.policyVersion = p.version;
            effects = [...effects, { kind: 'policy', version: p.version }];
          }
        }
      }
      const event = makeEvent(type, base, actor, from, t.status, {
        ...extra,
        ...(registrationNo ? { registrationNo } : {}),
      });
      await acts.applyStep({
        suggestionId: input.suggestionId,
        transition: { from, to: t.status },
        event,
        registrationNo,
        effects,
      });
      state.status = t.status;
      if (registrationNo) state.registrationNo = registrationNo;
      upsertSearchAttributes([{ key: SA.status, value: t.status }] as never);
    } finally {
      busy = false;
      pendingTo = null;
    }
    return state;
  };

  /** A step that keeps the status (rating before re-handling, urge, key supervision, follow-up, closure): one at a time, like apply. */
  const record = async (
    actor: Actor,
    type: SuggestionEvent['type'],
    extra: Record<string, unknown> = {},
    effects: Effect[] = [],
  ) => {
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      await acts.applyStep({
        suggestionId: input.suggestionId,
        event: makeEvent(type, base, actor, state.status, state.status, extra),
        effects,
      });
    } finally {
      busy = false;
    }
  };

  /**
   * The clocks of the steps that are not a unit's: pre-review and assignment (the reviewer's) and the
   * deputy's evaluation. Each mark (reminders, yellow, red) becomes a deadline event unless the step
   * is done by then. The evaluation has no red: its deadline records 未反馈 instead.
   */
  const stepClock = async (
    clock: 'pre_review' | 'assignment' | 'evaluation',
    plan: Awaited<ReturnType<typeof acts.planClock>>,
    done: () => boolean,
  ) => {
    for (const m of plan.marks) {
      if (clock === 'evaluation' && m.level === 'red') return;
      const wait = Date.parse(m.at) - Date.now();
      if (wait > 0 ? await condition(done, wait) : done()) return;
      await record(SYSTEM, 'suggestion.deadline', {
        clock,
        level: m.level,
        fraction: m.fraction,
        unitId: null,
        deadlineAt: plan.deadlineAt,
      });
      if (done()) return;
    }
  };
  /** Pre-review runs from each (re)submission until the reviewer decides. */
  const preReviewClock = async () => {
    const submission = state.reviewRounds;
    const plan = await acts.planClock(base.policyVersion, 'preReview', new Date().toISOString());
    await stepClock(
      'pre_review',
      plan,
      () => state.reviewRounds !== submission || state.status !== 'submitted',
    );
  };

  const finish = async () => {
    await condition(allHandlersFinished);
    return state;
  };
  setHandler(stateQuery, () => state);
  setHandler(
    reviewUpdate,
    async (actor, d) => {
      state.reviewRounds += 1;
      const extra =
        d.decision === 'return'
          ? { comments: d.comments }
          : d.decision === 'reject'
            ? { reason: d.reason }
            : d.decision === 'merge'
              ? { intoSuggestionId: d.intoSuggestionId, ...(d.reason ? { reason: d.reason } : {}) }
              : d.decision === 'convert' && d.reason
                ? { reason: d.reason }
                : {};
      const effects: Effect[] =
        d.decision === 'merge' ? [{ kind: 'merge', intoSuggestionId: d.intoSuggestionId }] : [];
      await apply(actor, reviewAction(d), reviewEventType[d.decision], extra, effects);
      if (d.decision === 'merge') {
        // The merged deputies follow the surviving item (its events reach them from now on).
        await getExternalWorkflowHandle(`suggestion-${d.intoSuggestionId}`).signal(
          addFollowersSignal,
          audience.deputyIds,
        );
      }
      return state;
    },
    {
      validator: (actor, d) =>
        guard(actor, `review_${d.decision}` as RuleAction, {
          suggestionId: input.suggestionId,
          ...(d.decision === 'merge' ? { intoSuggestionId: d.intoSuggestionId } : {}),
        }),
    },
  );
  setHandler(addFollowersSignal, (deputyIds) => {
    for (const d of deputyIds) if (!audience.deputyIds.includes(d)) audience.deputyIds.push(d);
  });
  setHandler(
    resubmitUpdate,
    async (actor, revision?) => {
      // The revised co-signers follow the item from the resubmission on (deputies of merged items stay).
      if (revision?.cosignerDeputyIds && patched('resubmit-revision')) {
        const before = new Set([input.leadDeputyId, ...(cosigners ?? [])]);
        const followers = audience.deputyIds.filter((d) => !before.has(d));
        cosigners = [...revision.cosignerDeputyIds];
        audience.deputyIds = [...new Set([input.leadDeputyId, ...cosigners, ...followers])];
        upsertSearchAttributes([{ key: SA.deputies, value: audience.deputyIds }] as never);
      }
      await apply(actor, { type: 'resubmit' }, 'suggestion.submitted');
      if (stepClocks) void preReviewClock();
      return state;
    },
    { validator: (actor, _revision?) => guard(actor, 'resubmit') },
  );
  setHandler(withdrawUpdate, (actor) => apply(actor, { type: 'withdraw' }, 'suggestion.withdrawn'), {
    validator: (actor) => guard(actor, 'withdraw'),
  });
  setHandler(
    assignUpdate,
    async (actor, a) => {
      state.assignment = a;
      // The reviewer or coordinator who assigned is the actor of the assignment (older executions: 系统),
      // and the answer is the item as assigned, not as it was when the update was accepted.
      if (patched('assigner')) {
        assigner = actor;
        await condition(() => statusNow() !== 'accepted');
      }
      return state;
    },
    {
      validator: (actor, a) =>
        guard(actor, 'assign', {
          unitIds: a.mode === 'separate' ? a.unitIds : [a.leadUnitId, ...a.coUnitIds],
        }),
    },
  );
  /** 联名代表 (co-signers, and deputies of items merged into this one) may rate too; the lead's rating decides. */
  const isCosigner = (actor: Actor) =>
    actor.role === 'deputy' &&
    actor.userId !== input.submittedBy.userId &&
    !!actor.deputyId &&
    actor.deputyId !== input.leadDeputyId &&
    audience.deputyIds.includes(actor.deputyId);
  setHandler(
    rateUpdate,
    async (actor, r) => {
      if (isCosigner(actor)) {
        const round = state.round;
        (state.cosignerRatings ??= []).push({ round, deputyId: actor.deputyId!, rating: r.rating });
        await record(actor, 'suggestion.rated', { round, rating: r.rating, cosigner: true }, [
          {
            kind: 'cosigner_rate',
            id: uuid4(),
            round,
            deputyId: actor.deputyId!,
            rating: r.rating,
            comment: r.comment ?? null,
            by: actor.userId,
          },
        ]);
        return state;
      }
      pendingRating = { rating: r.rating, comment: r.comment ?? null, by: actor };
      await condition(() => pendingRating === null);
      return state;
    },
    {
      // The deputy may rate as soon as the item shows 已答复, even while the workflow is still
      // recording that step (the rating waits in pendingRating); hence no `busy` check here.
      validator: (actor, _r) => guard(actor, 'rate'),
    },
  );

  // 退回重办: before the reply is rated, the reviewer may send one unit's reply back (it does not answer
  // the suggestion, or skipped the contact); that unit drafts, signs off and sends again on the re-handling clock.
  let sendBack: { unitId: string; reason: string; by: Actor } | null = null;
  let lastReplies: UnitResult[] = [];
  setHandler(
    sendBackReplyUpdate,
    async (actor, sb) => {
      sendBack = { unitId: sb.unitId, reason: sb.reason, by: actor };
      await condition(() => sendBack === null);
      return state;
    },
    {
      validator: (actor, sb) => {
        // A rating being recorded holds the reply as much as a send-back does.
        if (pendingRating && actor.role === 'reviewer')
          throw wrongState('该答复已在测评或退回中', 'the reply is already being rated or sent back');
        guard(actor, 'reply_return', { unitId: sb.unitId });
      },
    },
  );
  setHandler(
    consultationUpdate,
    async (actor, c) => {
      consultation = { summary: c.summary, by: actor };
      await condition(() => terminalStatuses.has(state.status) || state.status === 'closed');
      return state;
    },
    {
      validator: (actor, _c) => guard(actor, 'consultation'),
    },
  );
  // The first unit to sign in starts handling; later sign-ins change nothing.
  let handlingStarted = false;
  setHandler(unitSignedInSignal, async () => {
    if (handlingStarted) return;
    handlingStarted = true;
    await condition(() => !busy);
    if (state.status === 'assigned')
      await apply(SYSTEM, { type: 'start_handling' }, 'suggestion.handling_started');
  });

  // 催办: a coordinator or supervisor urges the handling units at any time while they handle.
  setHandler(
    urgeUpdate,
    async (actor, u) => {
      await record(actor, 'suggestion.urged', { unitId: u.unitId ?? null, note: u.note }, [
        { kind: 'urge', id: uuid4(), unitId: u.unitId ?? null, note: u.note, by: actor.userId },
      ]);
      return state;
    },
    {
      validator: (actor, u) => guard(actor, 'urge', u.unitId ? { unitId: u.unitId } : {}, true),
    },
  );
  // 重点督办: picked by the chair's council, recorded by the reviewer or a supervisor, with a supervising leader.
  let keySupervision = false;
  /** Every unit workflow started so far (a completed one ignores a signal: its error is dropped). */
  const children: ChildWorkflowHandle<typeof unitHandlingWorkflow>[] = [];
  /** The units that answer the deputy in the current round (lead or 分办 units, after any re-assignment). */
  let replyingUnitIds: string[] = [];
  const handlingNow = () => ['assigned', 'handling', 'rehandling'].includes(state.status);
  /**
   * 重点督办 progress reports: each period (monthly by policy) every replying unit reports once; at the
   * end of a period the units that have not reported are named in a progress_report_due notice.
   * Ends when the item is replied or ends.
   */
  const progressReports = async () => {
    let from = new Date().toISOString();
    for (let period = 1; ; period++) {
      const { at } = await acts.nextProgressReport(base.policyVersion, from);
      state.progress = { period, dueAt: at, reported: [] };
      const ended = await condition(
        () => ['replied', 'closed', 'published'].includes(state.status) || terminalStatuses.has(state.status),
        Math.max(0, Date.parse(at) - Date.now()),
      );
      if (ended) {
        state.progress = { ...state.progress, dueAt: null };
        return;
      }
      from = at;
      const reported = state.progress.reported;
      const missing = replyingUnitIds.filter((u) => !reported.includes(u));
      if (handlingNow() && missing.length > 0)
        await record(SYSTEM, 'suggestion.progress_report_due', { period, unitIds: missing });
    }
  };
  setHandler(
    keySupervisionUpdate,
    async (actor, k) => {
      await record(
        actor,
        'suggestion.key_supervision_set',
        { supervisingLeaderId: k.supervisingLeaderId ?? null },
        [{ kind: 'key', supervisingLeaderId: k.supervisingLeaderId ?? null }],
      );
      keySupervision = true;
      if (keyItems) {
        // Replies on key items are signed off per the policy's key rule (principal leader).
        for (const c of children) await c.signal(keyItemSignal).catch(() => undefined);
        void progressReports();
      }
      return state;
    },
    {
      validator: (actor, _k) => guard(actor, 'key_supervision', {}, true),
    },
  );

  setHandler(
    progressReportUpdate,
    async (actor, pr) => {
      const progress = state.progress!;
      progress.reported.push(pr.unitId);
      await record(actor, 'suggestion.progress_reported', { unitId: pr.unitId, period: progress.period }, [
        {
          kind: 'progress',
          id: uuid4(),
          unitId: pr.unitId,
          period: progress.period,
          summary: pr.summary,
          by: actor.userId,
        },
      ]);
      return state;
    },
    {
      validator: (actor, pr) => {
        // Reports go to the units replying now (after any re-assignment), while they handle.
        enforce(
          decide(
            'progress_report',
            actor,
            { ...facts(actor, true), replyingUnitIds, keySupervision: !!state.progress },
            { unitId: pr.unitId },
          ),
        );
      },
    },
  );

  // 答复公开 unless confidential (涉密, the reviewer's call) or the lead deputy objects with reasons.
  setHandler(
    withholdPublicationUpdate,
    async (actor, w) => {
      const kind = actor.role === 'reviewer' ? ('confidential' as const) : ('objection' as const);
      state.publicationWithheld = { kind, reason: w.reason };
      await record(actor, 'suggestion.publication_withheld', { kind, reason: w.reason }, [
        { kind: 'confidential' },
      ]);
      return state;
    },
    {
      validator: (actor, _w) => guard(actor, 'withhold_publication'),
    },
  );

  // DeputyIds holds every signer (the lead and the co-signers); older executions kept the lead only.
  upsertSearchAttributes([
    { key: SA.deputies, value: patched('all-signers') ? audience.deputyIds : [input.leadDeputyId] },
  ] as never);
  await apply(input.submittedBy, { type: 'submit' }, 'suggestion.submitted');
  if (stepClocks) void preReviewClock();

  // ---- pre-review ----
  await condition(() => !busy && (terminalStatuses.has(state.status) || state.status === 'accepted'));
  // An ending update (e.g. a merge signalling the surviving item) finishes before the workflow does.
  if (state.status !== 'accepted') return finish();

  // ---- assignment (交办): between sessions within the policy's days of acceptance ----
  if (stepClocks) {
    const plan = await acts.planClock(
      base.policyVersion,
      'assignmentBetweenSessions',
      new Date().toISOString(),
    );
    void stepClock('assignment', plan, () => state.assignment !== null || statusNow() !== 'accepted');
  }
  await condition(() => state.assignment !== null || statusNow() === 'withdrawn');
  if (statusNow() === 'withdrawn') return finish();
  const a: Assignment = state.assignment!;
  const units: { unitId: string; role: UnitRole }[] =
    a.mode === 'separate'
      ? a.unitIds.map((unitId) => ({ unitId, role: 'separate' }))
      : [
          { unitId: a.leadUnitId, role: 'lead' },
          ...a.coUnitIds.map((unitId) => ({ unitId, role: 'co' as const })),
        ];
  audience.unitIds = units.map((u) => u.unitId);
  upsertSearchAttributes([{ key: SA.units, value: audience.unitIds }] as never);

  /** Starts one unit's workflow for a round (or again after 退回重办); the parent keeps its handle for signals. */
  const startUnit = async (
    u: Pick<
      UnitHandlingInput,
      'unitId' | 'role' | 'round' | 'clock' | 'startedAt' | 'deadlineAt' | 'siblingUnitIds' | 'reopened'
    >,
  ) => {
    const h = await startChild(unitHandlingWorkflow, {
      workflowId: unitWorkflowId(input.suggestionId, u.unitId, u.round),
      args: [
        {
          ...u,
          suggestionId: input.suggestionId,
          parentWorkflowId: workflowInfo().workflowId,
          policyVersion: base.policyVersion,
          audience,
          ...(keySupervision ? { keyItem: true } : {}),
        },
      ],
    });
    children.push(h);
    return h;
  };

  const startUnits = async (round: number, list: typeof units, actor: Actor, first: boolean) => {
    const startedAt = new Date().toISOString();
    const planned = await Promise.all(
      list.map(async (u) => {
        const clock: UnitHandlingInput['clock'] =
          u.role === 'co' ? 'coHandlerOpinion' : round > 1 ? 'rehandling' : 'reply';
        const plan = await acts.planClock(base.policyVersion, clock, startedAt);
        return { ...u, clock, deadlineAt: plan.deadlineAt, id: uuid4() };
      }),
    );
    const effects: Effect[] = [
      {
        kind: 'assign',
        round,
        units: planned.map((p) => ({ id: p.id, unitId: p.unitId, role: p.role, deadlineAt: p.deadlineAt })),
      },
    ];
    if (first) {
      await apply(
        actor,
        { type: 'assign' },
        'suggestion.assigned',
        {
          mode: a.mode,
          leadUnitId: a.mode === 'lead' ? a.leadUnitId : null,
          unitIds: audience.unitIds,
          coUnitIds: a.mode === 'lead' ? a.coUnitIds : [],
        },
        effects,
      );
    } else {
      effects.push({ kind: 'round', round });
      await apply(
        actor,
        { type: 'rate', rating: 'unsatisfied', round: round - 1 },
        'suggestion.rehandling',
        { round },
        effects,
      );
    }
    const latest = planned
      .map((p) => p.deadlineAt)
      .sort()
      .at(-1)!;
    upsertSearchAttributes([{ key: SA.deadline, value: new Date(latest) }] as never);
    const handles: ChildWorkflowHandle<typeof unitHandlingWorkflow>[] = [];
    for (const p of planned) {
      handles.push(
        await startUnit({
          unitId: p.unitId,
          role: p.role,
          round,
          clock: p.clock,
          startedAt,
          deadlineAt: p.deadlineAt,
          siblingUnitIds: planned.map((x) => x.unitId).filter((x) => x !== p.unitId),
        }),
      );
    }
    replyingUnitIds = planned.filter((p) => p.role !== 'co').map((p) => p.unitId);
    coParts = handles.filter((_, i) => planned[i]!.role === 'co');
    return handles.filter((_, i) => planned[i]!.role !== 'co');
  };

  /** Waits for one unit's reply; when the reviewer re-assigned it, the new unit handles on a fresh clock. */
  const untilReplied = async (
    h: ChildWorkflowHandle<typeof unitHandlingWorkflow>,
    round: number,
  ): Promise<UnitResult> => {
    const res = await h.result();
    if (!res.reassignedTo) return res;
    const unitId = res.reassignedTo;
    audience.unitIds = [...audience.unitIds, unitId];
    upsertSearchAttributes([{ key: SA.units, value: audience.unitIds }] as never);
    const startedAt = new Date().toISOString();
    const clock: UnitHandlingInput['clock'] = round > 1 ? 'rehandling' : 'reply';
    const plan = await acts.planClock(base.policyVersion, clock, startedAt);
    await record(
      SYSTEM,
      'suggestion.assigned',
      {
        mode: a.mode,
        leadUnitId: res.role === 'lead' ? unitId : null,
        unitIds: audience.unitIds,
        coUnitIds: [],
      },
      [
        {
          kind: 'assign',
          round,
          units: [{ id: uuid4(), unitId, role: res.role, deadlineAt: plan.deadlineAt }],
        },
      ],
    );
    const next = await startUnit({
      unitId,
      role: res.role,
      round,
      clock,
      startedAt,
      deadlineAt: plan.deadlineAt,
      siblingUnitIds: audience.unitIds.filter((x) => x !== unitId),
    });
    if (res.role !== 'co') replyingUnitIds = [...replyingUnitIds.filter((u) => u !== res.unitId), unitId];
    return untilReplied(next, round);
  };

  /** The co-handlers' parts of the current round (协办): they end when the lead's reply is in. */
  let coParts: ChildWorkflowHandle<typeof unitHandlingWorkflow>[] = [];
  const assignedBy = assigner ?? SYSTEM;
  let replying = await startUnits(1, units, assignedBy, true);
  for (;;) {
    // ---- handling: wait for every replying unit (the lead, or each 分办 unit) ----
    lastReplies = await Promise.all(replying.map((h) => untilReplied(h, state.round)));
    await condition(() => !busy);
    // Co-handler parts still open end with the lead's reply: their clocks stop, nothing more is accepted.
    const closeParts = coParts.length > 0 && patched('close-co-parts');
    await apply(
      SYSTEM,
      { type: 'complete_replies' },
      'suggestion.replied',
      { round: state.round },
      closeParts ? [{ kind: 'close_parts', round: state.round }] : [],
    );
    if (closeParts) {
      for (const h of coParts) {
        // A part that already sent its opinion has finished: nothing to tell it.
        await h.signal(closePartSignal).catch(() => undefined);
      }
      coParts = [];
    }

    // ---- evaluation (满意度测评): a rating, or 未反馈 when the window closes ----
    const plan = await acts.planClock(base.policyVersion, 'evaluation', new Date().toISOString());
    state.evaluationDeadline = plan.deadlineAt;
    if (stepClocks) {
      const round = state.round;
      void stepClock(
        'evaluation',
        plan,
        () =>
          pendingRating !== null ||
          sendBack !== null ||
          state.round !== round ||
          state.ratings.some((x) => x.round === round),
      );
    }
    const answered = await condition(
      () => pendingRating !== null || sendBack !== null,
      Math.max(0, Date.parse(plan.deadlineAt) - Date.now()),
    );
    if (sendBack) {
      // 退回重办: that unit handles its reply again on the re-handling clock, already signed in.
      const sb: { unitId: string; reason: string; by: Actor } = sendBack;
      state.evaluationDeadline = null;
      const i = lastReplies.findIndex((x) => x.unitId === sb.unitId);
      const prev = lastReplies[i]!;
      const startedAt = new Date().toISOString();
      const clock = await acts.planClock(base.policyVersion, 'rehandling', startedAt);
      await apply(
        sb.by,
        { type: 'send_back', round: state.round },
        'suggestion.reply_returned',
        { unitId: sb.unitId, round: state.round, reason: sb.reason },
        [
          {
            kind: 'reopen',
            id: uuid4(),
            unitId: sb.unitId,
            round: state.round,
            reason: sb.reason,
            by: sb.by.userId,
            deadlineAt: clock.deadlineAt,
          },
        ],
      );
      replying[i] = await startUnit({
        unitId: sb.unitId,
        role: prev.role,
        round: state.round,
        clock: 'rehandling',
        startedAt,
        deadlineAt: clock.deadlineAt,
        siblingUnitIds: audience.unitIds.filter((x) => x !== sb.unitId),
        reopened: { reason: sb.reason, contacts: prev.contacts ?? 0 },
      });
      sendBack = null;
      continue;
    }
    const r = answered ? pendingRating! : { rating: 'no_feedback' as const, comment: null, by: SYSTEM };
    const rateEffect: Effect = {
      kind: 'rate',
      id: uuid4(),
      round: state.round,
      rating: r.rating,
      comment: r.comment,
      by: r.by.userId,
    };
    state.evaluationDeadline = null;
    if (r.rating === 'unsatisfied' && state.round < 2) {
      // 不满意 → re-handling by the replying units, on the re-handling clock.
      await record(r.by, 'suggestion.rated', { round: state.round, rating: r.rating }, [rateEffect]);
      state.ratings.push({ round: state.round, rating: r.rating });
      pendingRating = null;
      state.round += 1;
      // Round 2 goes to the units that replied in round 1 (a unit re-assigned away does not come back).
      const again = patched('rehandle-replying-units')
        ? lastReplies.filter((x) => x.role !== 'co').map((x) => ({ unitId: x.unitId, role: x.role }))
        : units.filter((u) => u.role !== 'co');
      replying = await startUnits(state.round, again, SYSTEM, false);
      continue;
    }
    await apply(
      r.by,
      { type: 'rate', rating: r.rating, round: state.round },
      'suggestion.rated',
      { round: state.round, rating: r.rating },
      [rateEffect],
    );
    state.ratings.push({ round: state.round, rating: r.rating });
    pendingRating = null;
    if (statusNow() === 'replied') {
      // A second 不满意: closure needs a recorded face-to-face consultation (当面协商).
      await condition(() => consultation !== null);
      await apply(consultation!.by, { type: 'record_consultation' }, 'suggestion.consultation_recorded', {}, [
        { kind: 'consultation', summary: consultation!.summary },
      ]);
    }
    break;
  }
  // ---- closure and publication (答复公开) ----
  await condition(() => !busy);
  await record(SYSTEM, 'suggestion.closed');
  if (!input.confidential && !state.publicationWithheld)
    await apply(SYSTEM, { type: 'publish' }, 'suggestion.published', { confidential: false });

  // ---- follow-up (跟踪办理) of B and C replies: on the promised date the unit reports ----
  // Added after histories were recorded: guarded so running executions keep their old path.
  if (patched('follow-up')) {
    state.followUps = lastReplies
      .filter((r) => (r.category === 'B' || r.category === 'C') && r.promisedDate)
      .map((r) => ({ unitId: r.unitId, promisedDate: r.promisedDate!, due: false, done: false }));
    setHandler(
      followUpUpdate,
      async (actor, f) => {
        const item = state.followUps!.find((x) => x.unitId === f.unitId)!;
        await record(actor, 'suggestion.follow_up_reported', { unitId: f.unitId, final: f.final });
        if (f.final) item.done = true;
        return state;
      },
      {
        validator: (actor, f) => guard(actor, 'follow_up', { unitId: f.unitId }, true),
      },
    );
    await Promise.all(
      state.followUps.map(async (item) => {
        // Due at the end of the promised day, China time (UTC+8).
        const dueAt = Date.parse(`${item.promisedDate}T23:59:59.999+08:00`);
        const wait = dueAt - Date.now();
        const reportedEarly = wait > 0 ? await condition(() => item.done, wait) : item.done;
        if (!reportedEarly) {
          item.due = true;
          await record(SYSTEM, 'suggestion.follow_up_due', {
            unitId: item.unitId,
            promisedDate: item.promisedDate,
          });
          await condition(() => item.done);
        }
      }),
    );
  }
  return finish();
}
