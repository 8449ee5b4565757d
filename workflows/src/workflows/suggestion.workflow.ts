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
  actionRoles,
  terminalStatuses,
  transition,
  type Actor,
  type Rating,
  type SuggestionAction,
  type SuggestionEvent,
} from '@jianyi/domain';
import { SA } from '../search-attributes';
import type { Effect } from '../activities/effects';
import { acts, forbidden, makeEvent, SYSTEM, wrongState } from './steps';
import {
  addFollowersSignal,
  assignUpdate,
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

  /** Refuses an action the actor's role or the current status does not allow (runs before any write). */
  const guard = (actor: Actor, action: SuggestionAction) => {
    if (!actor.role || !actionRoles[action.type].includes(actor.role as never)) {
      throw forbidden('角色无权执行此操作', `role "${actor.role}" may not ${action.type}`);
    }
    if (['resubmit', 'withdraw', 'rate'].includes(action.type) && actor.userId !== input.submittedBy.userId) {
      throw forbidden('只有领衔代表可以执行此操作', 'only the lead deputy may do this');
    }
    // Judged against the status a step in flight is writing: the user may already see it.
    const t = transition(pendingTo ?? state.status, action);
    if (!t.ok) throw wrongState(t.reason.zh, t.reason.en);
  };

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
              ? { intoSuggestionId: d.intoSuggestionId }
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
      validator: (actor, d) => {
        guard(actor, reviewAction(d));
        if (d.decision === 'merge' && d.intoSuggestionId === input.suggestionId)
          throw wrongState('不能并入自身', 'a suggestion cannot be merged into itself');
      },
    },
  );
  setHandler(addFollowersSignal, (deputyIds) => {
    for (const d of deputyIds) if (!audience.deputyIds.includes(d)) audience.deputyIds.push(d);
  });
  setHandler(
    resubmitUpdate,
    async (actor) => {
      await apply(actor, { type: 'resubmit' }, 'suggestion.submitted');
      if (stepClocks) void preReviewClock();
      return state;
    },
    { validator: (actor) => guard(actor, { type: 'resubmit' }) },
  );
  setHandler(withdrawUpdate, (actor) => apply(actor, { type: 'withdraw' }, 'suggestion.withdrawn'), {
    validator: (actor) => guard(actor, { type: 'withdraw' }),
  });
  setHandler(
    assignUpdate,
    async (actor, a) => {
      state.assignment = a;
      return state;
    },
    {
      validator: (actor, a) => {
        guard(actor, { type: 'assign' });
        if (state.assignment) throw wrongState('已交办', 'already assigned');
        const units = a.mode === 'separate' ? a.unitIds : [a.leadUnitId, ...a.coUnitIds];
        if (units.length === 0)
          throw wrongState('至少选择一个承办单位', 'choose at least one unit', 'unitIds');
        if (new Set(units).size !== units.length)
          throw wrongState('承办单位不能重复', 'a unit may appear only once', 'unitIds');
      },
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
      validator: (actor, r) => {
        if (isCosigner(actor)) {
          if (
            (pendingTo ?? state.status) !== 'replied' ||
            sendBack ||
            state.ratings.some((x) => x.round === state.round)
          )
            throw wrongState('当前不在测评期', 'not waiting for an evaluation');
          if (state.cosignerRatings?.some((x) => x.round === state.round && x.deputyId === actor.deputyId))
            throw wrongState('您已测评过本次答复', 'you have already rated this reply');
          return;
        }
        // The deputy may rate as soon as the item shows 已答复, even while the workflow is still
        // recording that step (the rating waits in pendingRating); hence no `busy` check here.
        if (actor.role !== 'deputy' || actor.userId !== input.submittedBy.userId)
          throw forbidden('只有领衔代表可以测评', 'only the lead deputy rates the reply');
        const t = transition(pendingTo ?? state.status, {
          type: 'rate',
          rating: r.rating,
          round: state.round,
        });
        if (!t.ok) throw wrongState(t.reason.zh, t.reason.en);
        // Open from the moment the replies are in (status replied) until this round has its rating.
        if (pendingRating || state.ratings.some((x) => x.round === state.round))
          throw wrongState('当前不在测评期', 'not waiting for an evaluation');
        if (sendBack) throw wrongState('答复已被退回重办', 'the reply was sent back for re-handling');
      },
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
        if (actor.role !== 'reviewer')
          throw forbidden('只有代表工委可以退回重办', 'only the reviewer sends a reply back');
        if ((pendingTo ?? state.status) !== 'replied' || state.ratings.some((x) => x.round === state.round))
          throw wrongState(
            '仅可在答复待测评时退回重办',
            'a reply can be sent back only while it awaits its rating',
          );
        if (pendingRating || sendBack)
          throw wrongState('该答复已在测评或退回中', 'the reply is already being rated or sent back');
        if (!lastReplies.some((x) => x.unitId === sb.unitId && x.role !== 'co'))
          throw wrongState('该单位没有待测评的答复', 'that unit has no reply awaiting a rating');
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
      validator: (actor, _c) => {
        guard(actor, { type: 'record_consultation' });
        const current = state.ratings.find((x) => x.round === state.round);
        if (!(state.round >= 2 && current?.rating === 'unsatisfied'))
          throw wrongState(
            '仅在第二次不满意后记录当面协商',
            'a consultation is recorded after a second 不满意',
          );
      },
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
      validator: (actor, u) => {
        if (!actor.role || !['coordinator', 'supervisor', 'reviewer'].includes(actor.role))
          throw forbidden(
            '只有督查室、督办领导或代表工委可以催办',
            'only coordinators, supervisors and reviewers urge',
          );
        if (!['assigned', 'handling', 'rehandling'].includes(state.status))
          throw wrongState('仅可对办理中的建议催办', 'only items being handled can be urged');
        if (u.unitId && !audience.unitIds.includes(u.unitId))
          throw wrongState('该单位未承办本件', 'that unit does not handle this item');
      },
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
      validator: (actor, _k) => {
        if (!actor.role || !['reviewer', 'supervisor'].includes(actor.role))
          throw forbidden(
            '只有代表工委或督办领导可以确定重点督办',
            'only reviewers and supervisors set key supervision',
          );
        if (keySupervision) throw wrongState('已列为重点督办', 'already under key supervision');
        if (!['accepted', 'assigned', 'handling', 'rehandling'].includes(state.status))
          throw wrongState(
            '仅可对已立案未答复的建议确定重点督办',
            'only accepted items not yet replied can be put under key supervision',
          );
      },
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
        if (
          !actor.role ||
          !['unit_handler', 'unit_leader'].includes(actor.role) ||
          actor.unitId !== pr.unitId
        )
          throw forbidden('只有承办单位报送办理进展', 'only a handling unit reports its progress');
        if (!state.progress || !replyingUnitIds.includes(pr.unitId) || !handlingNow())
          throw wrongState(
            '本件不在重点督办办理中,无需报送进展',
            'progress reports are for key items being handled by their replying units',
          );
        if (state.progress.reported.includes(pr.unitId))
          throw wrongState('本期进展已报送', "this period's progress report is already in");
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
      validator: (actor, _w) => {
        const lead = actor.role === 'deputy' && actor.userId === input.submittedBy.userId;
        if (actor.role !== 'reviewer' && !lead)
          throw forbidden(
            '只有代表工委或领衔代表可以决定不予公开',
            'only the reviewer or the lead deputy can withhold publication',
          );
        if (
          !['accepted', 'assigned', 'handling', 'rehandling', 'replied'].includes(pendingTo ?? state.status)
        )
          throw wrongState(
            '仅可在办结前决定不予公开',
            'publication can be withheld only before the item is closed',
          );
        if (input.confidential || state.publicationWithheld)
          throw wrongState('本件已确定不予公开', 'publication is already withheld');
      },
    },
  );

  upsertSearchAttributes([{ key: SA.deputies, value: [input.leadDeputyId] }] as never);
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

  const assignedBy = SYSTEM;
  let replying = await startUnits(1, units, assignedBy, true);
  for (;;) {
    // ---- handling: wait for every replying unit (the lead, or each 分办 unit) ----
    lastReplies = await Promise.all(replying.map((h) => untilReplied(h, state.round)));
    await condition(() => !busy);
    await apply(SYSTEM, { type: 'complete_replies' }, 'suggestion.replied', { round: state.round });

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
      replying = await startUnits(
        state.round,
        units.filter((u) => u.role !== 'co'),
        SYSTEM,
        false,
      );
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
        validator: (actor, f) => {
          if (
            !actor.role ||
            !['unit_handler', 'unit_leader'].includes(actor.role) ||
            actor.unitId !== f.unitId
          )
            throw forbidden(
              '只有答复单位报告跟踪办理情况',
              'only the replying unit reports on its follow-up',
            );
          const item = state.followUps!.find((x) => x.unitId === f.unitId);
          if (!item || item.done)
            throw wrongState('没有待跟踪办理的答复', 'there is no open follow-up for this unit');
        },
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
