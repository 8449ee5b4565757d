/**
 * One unit's handling of one suggestion in one round (child of the suggestion workflow): sign-in
 * (签收), the contact log (沟通), the reply draft, the leader's sign-off (签发) and sending (答复);
 * for a co-handler (协办) its written opinion to the lead. Its deadline runs as durable timers.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import { SA } from '../search-attributes';
import {
  decide,
  type ActionInput,
  type Actor,
  type Duration,
  type SuggestionEventType,
  type UnitAction,
} from '@jianyi/domain';
import type { Effect } from '../activities/effects';
import { quick, type acts } from './activity-proxy';
import { makeEvent, SYSTEM, type EventExtra, type ExtraArg } from './events';
import { enforce, forbidden, wrongState } from './failures';
import {
  calendarChangedSignal,
  contactUpdate,
  decideRequestUpdate,
  draftReplyUpdate,
  closePartSignal,
  partClockSignal,
  keyItemSignal,
  unitRequestUpdate,
  opinionUpdate,
  sendReplyUpdate,
  signInUpdate,
  signOffUpdate,
  unitSignedInSignal,
  unitStateQuery,
  type ReplyDraft,
  type UnitHandlingInput,
  type UnitRequest,
  type UnitResult,
  type UnitState,
} from './suggestion.messages';

const CONTACT_FORMS = ['面商', '电话', '座谈', '视察', '走访', '其他'];

export async function unitHandlingWorkflow(input: UnitHandlingInput): Promise<UnitResult> {
  const state: UnitState = {
    // A reply sent back (退回重办) is handled again by a unit that has signed in and talked to the deputy.
    unitId: input.unitId,
    role: input.role,
    round: input.round,
    signedIn: !!input.reopened,
    contacts: input.reopened?.contacts ?? 0,
    draft: null,
    signedOff: false,
    done: false,
    deadlineAt: input.deadlineAt,
    warnings: [],
    pendingRequest: null,
    extensions: 0,
    reassignedTo: null,
  };
  let busy = false;
  // Declared before the first update handler: an update that arrived with the start (the API's step
  // right after assignment, or a first workflow task delayed by a fault) is validated inside that
  // setHandler call, and a validator reading a `let` declared further down threw a ReferenceError
  // (the update was rejected and the API answered 500). No command changes: no patch needed.
  let keyItem = input.keyItem === true;
  let policy: UnitPolicy | null = null;
  let plan: Awaited<ReturnType<typeof acts.planClock>> | null = null;
  let planVersion = 0;
  let requestedAt = 0;
  // The parent keeps the item's DeadlineAt and Overdue search attributes current from what each part
  // reports (executions started before it are not asked to report).
  const reportClock = input.reportClock === true;
  /** This part is past its current deadline (its red mark fired and no extension moved it since). */
  let overdue = false;
  /** The deadline moved past the red mark that already fired: it fires again at the new deadline. */
  let rearmRed = false;
  const report = async () => {
    if (!reportClock) return;
    await getExternalWorkflowHandle(input.parentWorkflowId)
      .signal(partClockSignal, {
        unitId: input.unitId,
        round: input.round,
        deadlineAt: state.deadlineAt,
        overdue,
        ended: state.done,
      })
      .catch(() => undefined);
  };
  /** After an extension, a paused clock or a re-planned calendar: overdue again only if still past due. */
  const clockMoved = async () => {
    if (!reportClock) return;
    const was = overdue;
    overdue = Date.parse(state.deadlineAt) <= Date.now();
    if (!overdue) rearmRed = true;
    if (was !== overdue) upsertSearchAttributes([{ key: SA.overdue, value: overdue }] as never);
    await report();
  };
  /** A step of this unit: the event carries the unit's id. */
  const step = async <T extends SuggestionEventType>(
    actor: Actor,
    type: T,
    extra: Omit<EventExtra<T>, 'unitId'>,
    effects: Effect[],
  ) => {
    busy = true;
    try {
      await quick().applyStep({
        suggestionId: input.suggestionId,
        event: makeEvent(
          type,
          input,
          actor,
          '',
          '',
          ...([{ unitId: input.unitId, ...extra }] as ExtraArg<T>),
        ),
        effects,
      });
    } finally {
      busy = false;
    }
  };

  /**
   * Every human step, by the rules (@jianyi/domain `decide()`): the actor must be of this unit, the
   * part open, nothing else in flight, the steps in their order (sign in, contact, draft, sign off, send).
   */
  const guard = (actor: Actor, action: UnitAction, extra: ActionInput = {}) =>
    enforce(
      decide(
        action,
        actor,
        {
          part: {
            unitId: input.unitId,
            role: input.role,
            signedIn: state.signedIn,
            done: state.done,
            closed: state.closed === true,
            hasDraft: state.draft !== null,
            signedOff: state.signedOff,
            contacts: state.contacts,
            pendingRequest: state.pendingRequest !== null,
            busy,
          },
          signOffBy: signOffBy(),
        },
        extra,
      ),
    );

  setHandler(unitStateQuery, () => state);
  // The parent ends an open co-handler part when the lead's reply is in (its clock stops here).
  setHandler(closePartSignal, () => {
    if (state.done) return;
    state.closed = true;
    state.done = true;
  });
  setHandler(
    signInUpdate,
    async (actor) => {
      await step(actor, 'suggestion.signed_in', {}, [
        { kind: 'sign_in', unitId: input.unitId, round: input.round },
      ]);
      state.signedIn = true;
      await getExternalWorkflowHandle(input.parentWorkflowId).signal(unitSignedInSignal, input.unitId);
      return state;
    },
    {
      validator: (actor) => guard(actor, 'sign_in'),
    },
  );

  setHandler(
    contactUpdate,
    async (actor, c) => {
      await step(actor, 'suggestion.contact_logged', { form: c.form, contactedOn: c.contactedOn }, [
        {
          kind: 'contact',
          id: uuid4(),
          unitId: input.unitId,
          contactedOn: c.contactedOn,
          form: c.form,
          summary: c.summary,
          by: actor.userId,
        },
      ]);
      state.contacts += 1;
      return state;
    },
    {
      validator: (actor, c) => {
        guard(actor, 'contact');
        if (!CONTACT_FORMS.includes(c.form))
          throw wrongState(
            `沟通方式须为 ${CONTACT_FORMS.join('/')}`,
            `form must be one of ${CONTACT_FORMS.join(', ')}`,
          );
      },
    },
  );

  setHandler(
    draftReplyUpdate,
    async (actor, d: ReplyDraft) => {
      await step(actor, 'suggestion.reply_drafted', { round: input.round, category: d.category }, [
        {
          kind: 'draft',
          id: uuid4(),
          unitId: input.unitId,
          round: input.round,
          reply: 'reply',
          category: d.category,
          body: d.body,
          promisedDate: d.promisedDate ?? null,
          explanation: d.explanation ?? null,
          documentNo: d.documentNo ?? null,
          contactPerson: d.contactPerson ?? null,
          contactPhone: d.contactPhone ?? null,
          by: actor.userId,
        },
      ]);
      state.draft = d;
      state.signedOff = false;
      return state;
    },
    {
      validator: (actor, d) =>
        guard(actor, 'draft_reply', {
          category: d.category,
          ...(d.promisedDate ? { promisedDate: d.promisedDate } : {}),
          ...(d.explanation ? { explanation: d.explanation } : {}),
        }),
    },
  );

  // 重点督办: from now on the policy's key-item rule decides who signs (usually the principal leader).
  setHandler(keyItemSignal, () => {
    keyItem = true;
  });
  /** Who signs this item's reply now (policy, key item or not). */
  function signOffBy(): 'unit_leader' | 'principal_leader' {
    // Executions from before the rule carry no sign-off policy: any unit leader signs, as they did then.
    const rule = policy?.signOff ?? { normal: 'unit_leader', key: 'unit_leader' };
    return (keyItem ? rule.key : rule.normal) === 'principal_leader' ? 'principal_leader' : 'unit_leader';
  }
  const checkSigner = (actor: Actor) => {
    if (signOffBy() === 'principal_leader' && actor.principal !== true) {
      throw forbidden(
        '重点督办件的答复须由单位主要负责人签发',
        'a reply on a key-supervision item must be signed off by the principal leader',
      );
    }
  };

  setHandler(
    signOffUpdate,
    async (actor) => {
      checkSigner(actor);
      await step(actor, 'suggestion.reply_signed', { round: input.round }, [
        { kind: 'sign_off', unitId: input.unitId, round: input.round, by: actor.userId },
      ]);
      state.signedOff = true;
      return state;
    },
    {
      validator: (actor) => guard(actor, 'sign_off'),
    },
  );

  setHandler(
    sendReplyUpdate,
    async (actor) => {
      await step(actor, 'suggestion.reply_sent', { round: input.round, category: state.draft!.category }, [
        { kind: 'send', unitId: input.unitId, round: input.round, reply: 'reply' },
      ]);
      state.done = true;
      return state;
    },
    {
      validator: (actor) => guard(actor, 'send_reply'),
    },
  );

  setHandler(
    opinionUpdate,
    async (actor, o) => {
      await step(actor, 'suggestion.opinion_sent', {}, [
        {
          kind: 'draft',
          id: uuid4(),
          unitId: input.unitId,
          round: input.round,
          reply: 'opinion',
          category: null,
          body: o.body,
          promisedDate: null,
          explanation: null,
          by: actor.userId,
        },
        { kind: 'send', unitId: input.unitId, round: input.round, reply: 'opinion' },
      ]);
      state.done = true;
      return state;
    },
    { validator: (actor, _o) => guard(actor, 'opinion') },
  );

  // Requests (re-assignment, extension) came with a later version of this workflow: executions
  // started before it replay without these activity calls (the patched() example; see replay tests).
  const withRequests = patched('unit-requests');
  // A loaded calendar year re-plans the running clock (signal from the admin's load): executions
  // started before it ignore the signal.
  const calendarReplan = patched('calendar-replan');
  let replanYears: number[] | null = null;
  /** What moved the deadline since the plan, in order: approved extensions and paused time. */
  const adjustments: ({ kind: 'extension'; amount: Duration } | { kind: 'pause'; ms: number })[] = [];
  if (calendarReplan)
    setHandler(calendarChangedSignal, (c) => {
      replanYears = [...new Set([...(replanYears ?? []), ...c.years])].sort((a, b) => a - b);
    });
  type UnitPolicy = Awaited<ReturnType<typeof acts.unitPolicy>>;
  /** Limits from the policy; checked in the validator once loaded, and again in the handler. */
  const checkRequest = (p: UnitPolicy, r: UnitRequest) => {
    if (r.kind === 'reassignment') {
      // 申请调整 only within the policy's window; no request in time, no change.
      if (Date.now() > Date.parse(p.reassignmentUntil))
        throw wrongState('已超过申请调整期限', 'the re-assignment request window has closed');
    } else {
      if (state.extensions >= p.extensionMaxCount)
        throw wrongState(
          `延期次数已达上限(${p.extensionMaxCount}次)`,
          `at most ${p.extensionMaxCount} extension(s)`,
        );
      if (
        r.amount.unit !== p.extensionMaxEach.unit ||
        r.amount.amount > p.extensionMaxEach.amount ||
        r.amount.amount <= 0
      ) {
        throw wrongState(
          `单次延期不超过 ${p.extensionMaxEach.amount} ${p.extensionMaxEach.unit}`,
          `an extension is at most ${p.extensionMaxEach.amount} ${p.extensionMaxEach.unit}`,
        );
      }
    }
  };

  setHandler(
    unitRequestUpdate,
    async (actor, r) => {
      await condition(() => policy !== null); // loaded by the first activity of the execution
      checkRequest(policy!, r);
      const extra =
        r.kind === 'reassignment'
          ? { reason: r.reason }
          : { reason: r.reason, amount: r.amount.amount, unit: r.amount.unit };
      await step(
        actor,
        r.kind === 'reassignment' ? 'suggestion.reassignment_requested' : 'suggestion.extension_requested',
        extra,
        [
          {
            kind: 'request',
            id: uuid4(),
            unitId: input.unitId,
            round: input.round,
            request: r.kind,
            reason: r.reason,
            requested: r.kind === 'extension' ? r.amount : null,
            by: actor.userId,
          },
        ],
      );
      state.pendingRequest = r;
      requestedAt = Date.now();
      return state;
    },
    {
      validator: (actor, r) => {
        guard(actor, r.kind === 'reassignment' ? 'request_reassignment' : 'request_extension');
        if (!withRequests) throw wrongState('此流程版本不支持申请', 'this execution predates requests');
        if (policy) checkRequest(policy, r);
      },
    },
  );

  setHandler(
    decideRequestUpdate,
    async (actor, d) => {
      const r = state.pendingRequest!;
      busy = true;
      try {
        let deadlineAt = state.deadlineAt;
        const effects: Effect[] = [
          {
            kind: 'decide',
            unitId: input.unitId,
            round: input.round,
            approved: d.approve,
            note: d.note ?? null,
            by: actor.userId,
          },
        ];
        if (r.kind === 'extension' && d.approve) {
          deadlineAt = (await quick().extendDeadline(state.deadlineAt, r.amount, policy!.handlingCap))
            .deadlineAt;
          adjustments.push({ kind: 'extension', amount: r.amount });
        } else if (r.kind === 'reassignment' && policy!.pauseClockDuringReassignment) {
          // The clock stood still while the request was pending: the deadline moves by that time.
          deadlineAt = new Date(Date.parse(state.deadlineAt) + (Date.now() - requestedAt)).toISOString();
          adjustments.push({ kind: 'pause', ms: Date.now() - requestedAt });
        }
        if (deadlineAt !== state.deadlineAt)
          effects.push({ kind: 'deadline', unitId: input.unitId, round: input.round, deadlineAt });
        const type =
          r.kind === 'reassignment' ? 'suggestion.reassignment_decided' : 'suggestion.extension_decided';
        const extra =
          r.kind === 'reassignment'
            ? { approved: d.approve, newUnitId: d.approve ? d.newUnitId! : null }
            : { approved: d.approve, deadlineAt };
        await quick().applyStep({
          suggestionId: input.suggestionId,
          event: makeEvent(type, input, actor, '', '', { unitId: input.unitId, ...extra }),
          effects,
        });
        state.pendingRequest = null;
        if (r.kind === 'extension' && d.approve) state.extensions += 1;
        if (r.kind === 'reassignment' && d.approve) {
          state.reassignedTo = d.newUnitId!;
          state.done = true;
        } else if (deadlineAt !== state.deadlineAt) {
          state.deadlineAt = deadlineAt;
          plan = await quick().planMarks(input.policyVersion, input.startedAt, deadlineAt);
          planVersion += 1;
          await clockMoved();
        }
      } finally {
        busy = false;
      }
      return state;
    },
    {
      validator: (actor, d) => {
        enforce(
          decide(
            'decide_request',
            actor,
            { pendingRequest: state.pendingRequest !== null },
            {
              ...(state.pendingRequest ? { requestKind: state.pendingRequest.kind } : {}),
              approve: d.approve,
              ...(d.newUnitId ? { newUnitId: d.newUnitId } : {}),
              ownUnitId: input.unitId,
              siblingUnitIds: input.siblingUnitIds ?? [],
            },
          ),
        );
        if (busy) throw wrongState('另一操作正在进行', 'another action is in progress');
      },
    },
  );

  // 交办会: the batch planned the clock and the policy numbers in its transaction (no activities here).
  const preplanned =
    input.plan !== undefined && input.unitPolicy !== undefined && patched('preplanned-clock');
  if (withRequests)
    policy = preplanned
      ? input.unitPolicy!
      : await quick().unitPolicy(
          input.policyVersion,
          input.startedAt,
          ...(input.assignedAt ? [input.assignedAt] : []),
        );
  plan = preplanned
    ? input.plan!
    : await quick().planClock(input.policyVersion, input.clock, input.startedAt);

  // Deadline warnings: each mark fires once; an extension or paused clock replaces the plan.
  const fired = new Set<string>();
  const markKey = (m: { level: string; fraction: number | null }) => `${m.level}${m.fraction ?? ''}`;
  /** Re-plans the clock on the calendar as it is now; records an event when the deadline moves. */
  const replan = async () => {
    const years = replanYears ?? [];
    replanYears = null;
    await condition(() => !busy || state.done);
    if (state.done) return;
    busy = true;
    try {
      const next = await quick().replanClock({
        policyVersion: input.policyVersion,
        clock: input.clock,
        startedAt: input.startedAt,
        adjustments,
        ...(input.assignedAt ? { capFrom: input.assignedAt } : {}),
      });
      if (next.deadlineAt === state.deadlineAt) return;
      await quick().applyStep({
        suggestionId: input.suggestionId,
        event: makeEvent('suggestion.deadline_replanned', input, SYSTEM, '', '', {
          unitId: input.unitId,
          previousDeadlineAt: state.deadlineAt,
          deadlineAt: next.deadlineAt,
          years,
        }),
        effects: [
          { kind: 'deadline', unitId: input.unitId, round: input.round, deadlineAt: next.deadlineAt },
        ],
      });
      state.deadlineAt = next.deadlineAt;
      plan = next;
      planVersion += 1;
      await clockMoved();
    } finally {
      busy = false;
    }
  };
  for (;;) {
    if (replanYears !== null && !state.done) {
      await replan();
      continue;
    }
    if (rearmRed) {
      rearmRed = false;
      fired.delete('red');
    }
    const next = plan.marks.find((m) => !fired.has(markKey(m)));
    if (!next && !state.done && reportClock) {
      // Every mark has fired: the part stays open, and a later extension re-arms its red mark.
      const v = planVersion;
      await condition(() => state.done || planVersion !== v || replanYears !== null);
      continue;
    }
    if (!next || state.done) break;
    const v = planVersion;
    const wait = Date.parse(next.at) - Date.now();
    if (wait > 0 && (await condition(() => state.done || planVersion !== v || replanYears !== null, wait)))
      continue;
    if (state.done) break;
    fired.add(markKey(next));
    state.warnings.push(next.level === 'reminder' ? `reminder-${next.fraction}` : next.level);
    await quick().applyStep({
      suggestionId: input.suggestionId,
      event: makeEvent('suggestion.deadline', input, SYSTEM, '', '', {
        clock: input.clock === 'coHandlerOpinion' ? 'opinion' : input.clock,
        level: next.level,
        fraction: next.fraction,
        unitId: input.unitId,
        deadlineAt: plan.deadlineAt,
      }),
      effects:
        next.level === 'red' && withRequests
          ? [{ kind: 'overdue', unitId: input.unitId, round: input.round }]
          : [],
    });
    if (next.level === 'red' && withRequests)
      upsertSearchAttributes([{ key: SA.overdue, value: true }] as never);
    if (next.level === 'red' && reportClock) {
      overdue = true;
      await report();
    }
  }
  await condition(() => state.done && !busy);
  await report(); // ended
  await condition(allHandlersFinished);
  return {
    unitId: input.unitId,
    role: input.role,
    category: state.draft?.category ?? null,
    reassignedTo: state.reassignedTo,
    promisedDate: state.draft?.promisedDate ?? null,
    contacts: state.contacts,
  };
}
