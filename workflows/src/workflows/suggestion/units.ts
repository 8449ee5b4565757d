/**
 * 交办 and 办理: the units of an assignment, one child workflow per unit and round (unit-handling.workflow.ts),
 * re-assignment to another unit, and the end of handling when every replying unit has replied.
 */
import {
  condition,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Actor } from '@jianyi/domain';
import { SA } from '../../search-attributes';
import type { Effect } from '../../activities/effects';
import { acts } from '../activity-proxy';
import { SYSTEM } from '../events';
import {
  closePartSignal,
  unitSignedInSignal,
  unitWorkflowId,
  type Assignment,
  type UnitHandlingInput,
  type UnitResult,
  type UnitRole,
} from '../suggestion.messages';
import { unitHandlingWorkflow } from '../unit-handling.workflow';
import type { SendBack, SuggestionRun, UnitHandle } from './run';

export type AssignedUnit = { unitId: string; role: UnitRole };

/** The units of an assignment, with their part: 分办 units each answer; 主办 answers, 协办 give opinions. */
export const unitsOf = (a: Assignment): AssignedUnit[] =>
  a.mode === 'separate'
    ? a.unitIds.map((unitId) => ({ unitId, role: 'separate' }))
    : [
        { unitId: a.leadUnitId, role: 'lead' },
        ...a.coUnitIds.map((unitId) => ({ unitId, role: 'co' as const })),
      ];

export function registerUnitSignals(run: SuggestionRun) {
  const { state, apply } = run;
  // The first unit to sign in starts handling; later sign-ins change nothing.
  setHandler(unitSignedInSignal, async () => {
    if (run.handlingStarted) return;
    run.handlingStarted = true;
    await condition(() => !run.busy);
    if (state.status === 'assigned')
      await apply(SYSTEM, { type: 'start_handling' }, 'suggestion.handling_started');
  });
}

/** Starts one unit's workflow for a round (or again after 退回重办); the parent keeps its handle for signals. */
const startUnit = async (
  run: SuggestionRun,
  u: Pick<
    UnitHandlingInput,
    'unitId' | 'role' | 'round' | 'clock' | 'startedAt' | 'deadlineAt' | 'siblingUnitIds' | 'reopened'
  >,
) => {
  const h = await startChild(unitHandlingWorkflow, {
    workflowId: unitWorkflowId(run.input.suggestionId, u.unitId, u.round),
    args: [
      {
        ...u,
        suggestionId: run.input.suggestionId,
        parentWorkflowId: workflowInfo().workflowId,
        policyVersion: run.base.policyVersion,
        audience: run.audience,
        ...(run.keySupervision ? { keyItem: true } : {}),
      },
    ],
  });
  run.children.push(h);
  return h;
};

/**
 * Starts a round's units on their clocks: round 1 is the assignment (交办, status assigned), a later
 * round is re-handling after 不满意. Returns the handles of the replying units.
 */
export const startUnits = async (
  run: SuggestionRun,
  a: Assignment,
  round: number,
  list: AssignedUnit[],
  actor: Actor,
  first: boolean,
) => {
  const { audience, apply } = run;
  const startedAt = new Date().toISOString();
  const planned = await Promise.all(
    list.map(async (u) => {
      const clock: UnitHandlingInput['clock'] =
        u.role === 'co' ? 'coHandlerOpinion' : round > 1 ? 'rehandling' : 'reply';
      const plan = await acts.planClock(run.base.policyVersion, clock, startedAt);
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
  const handles: UnitHandle[] = [];
  for (const p of planned) {
    handles.push(
      await startUnit(run, {
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
  run.replyingUnitIds.splice(
    0,
    run.replyingUnitIds.length,
    ...planned.filter((p) => p.role !== 'co').map((p) => p.unitId),
  );
  run.coParts = handles.filter((_, i) => planned[i]!.role === 'co');
  return handles.filter((_, i) => planned[i]!.role !== 'co');
};

/** Waits for one unit's reply; when the reviewer re-assigned it, the new unit handles on a fresh clock. */
const untilReplied = async (
  run: SuggestionRun,
  a: Assignment,
  h: UnitHandle,
  round: number,
): Promise<UnitResult> => {
  const { audience } = run;
  const res = await h.result();
  if (!res.reassignedTo) return res;
  const unitId = res.reassignedTo;
  audience.unitIds = [...audience.unitIds, unitId];
  upsertSearchAttributes([{ key: SA.units, value: audience.unitIds }] as never);
  const startedAt = new Date().toISOString();
  const clock: UnitHandlingInput['clock'] = round > 1 ? 'rehandling' : 'reply';
  const plan = await acts.planClock(run.base.policyVersion, clock, startedAt);
  await run.record(
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
  const next = await startUnit(run, {
    unitId,
    role: res.role,
    round,
    clock,
    startedAt,
    deadlineAt: plan.deadlineAt,
    siblingUnitIds: audience.unitIds.filter((x) => x !== unitId),
  });
  if (res.role !== 'co')
    run.replyingUnitIds.splice(
      0,
      run.replyingUnitIds.length,
      ...run.replyingUnitIds.filter((u) => u !== res.unitId),
      unitId,
    );
  return untilReplied(run, a, next, round);
};

/**
 * The end of handling: every replying unit (the lead, or each 分办 unit) has replied. The item becomes
 * 已答复; co-handler parts still open end with it (their clocks stop, nothing more is accepted).
 */
export const collectReplies = async (run: SuggestionRun, a: Assignment, replying: UnitHandle[]) => {
  const { state } = run;
  const replies = await Promise.all(replying.map((h) => untilReplied(run, a, h, state.round)));
  run.lastReplies.splice(0, run.lastReplies.length, ...replies);
  await condition(() => !run.busy);
  // Co-handler parts still open end with the lead's reply: their clocks stop, nothing more is accepted.
  const closeParts = run.coParts.length > 0 && patched('close-co-parts');
  await run.apply(
    SYSTEM,
    { type: 'complete_replies' },
    'suggestion.replied',
    { round: state.round },
    closeParts ? [{ kind: 'close_parts', round: state.round }] : [],
  );
  if (closeParts) {
    for (const h of run.coParts) {
      // A part that already sent its opinion has finished: nothing to tell it.
      await h.signal(closePartSignal).catch(() => undefined);
    }
    run.coParts = [];
  }
};

/** 退回重办: that unit handles its reply again on the re-handling clock, already signed in. */
export const reopenUnit = async (run: SuggestionRun, replying: UnitHandle[], sb: SendBack) => {
  const { state, audience } = run;
  state.evaluationDeadline = null;
  const i = run.lastReplies.findIndex((x) => x.unitId === sb.unitId);
  const prev = run.lastReplies[i]!;
  const startedAt = new Date().toISOString();
  const clock = await acts.planClock(run.base.policyVersion, 'rehandling', startedAt);
  await run.apply(
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
  replying[i] = await startUnit(run, {
    unitId: sb.unitId,
    role: prev.role,
    round: state.round,
    clock: 'rehandling',
    startedAt,
    deadlineAt: clock.deadlineAt,
    siblingUnitIds: audience.unitIds.filter((x) => x !== sb.unitId),
    reopened: { reason: sb.reason, contacts: prev.contacts ?? 0 },
  });
  run.sendBack = null;
};
