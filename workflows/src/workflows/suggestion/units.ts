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
import { quick } from '../activity-proxy';
import { SYSTEM } from '../events';
import {
  closePartSignal,
  partClockSignal,
  unitSignedInSignal,
  unitWorkflowId,
  type Assignment,
  type PlannedAssignment,
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

/**
 * Keeps the item's `DeadlineAt` (the latest deadline of the parts that answer the deputy) and `Overdue`
 * (an open part is past its current deadline) search attributes as the parts now are; writes only a change.
 */
export const syncSearchAttributes = (run: SuggestionRun) => {
  if (!run.parts) return;
  const parts = [...run.parts.values()];
  const deadlineAt =
    parts
      .filter((p) => p.role !== 'co')
      .map((p) => p.deadlineAt)
      .sort()
      .at(-1) ?? null;
  const overdue = parts.some((p) => !p.ended && p.overdue);
  const attrs: { key: typeof SA.deadline | typeof SA.overdue; value: Date | boolean }[] = [];
  if (deadlineAt && deadlineAt !== run.searchAttributes.deadlineAt)
    attrs.push({ key: SA.deadline, value: new Date(deadlineAt) });
  if (overdue !== run.searchAttributes.overdue) attrs.push({ key: SA.overdue, value: overdue });
  if (attrs.length === 0) return;
  upsertSearchAttributes(attrs as never);
  run.searchAttributes = { deadlineAt: deadlineAt ?? run.searchAttributes.deadlineAt, overdue };
};

/** A part of the current round (re)starts on a fresh deadline. */
const openPart = (run: SuggestionRun, unitId: string, role: UnitRole, deadlineAt: string) =>
  run.parts?.set(unitId, { role, deadlineAt, overdue: false, ended: false });

export function registerUnitSignals(run: SuggestionRun) {
  const { state, apply } = run;
  // A unit's part reports its clock (extension, re-planned calendar, red mark, end).
  setHandler(partClockSignal, (p) => {
    const part = run.parts?.get(p.unitId);
    if (!part || p.round !== state.round) return;
    run.parts!.set(p.unitId, { ...part, deadlineAt: p.deadlineAt, overdue: p.overdue, ended: p.ended });
    syncSearchAttributes(run);
  });
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
    | 'unitId'
    | 'role'
    | 'round'
    | 'clock'
    | 'startedAt'
    | 'deadlineAt'
    | 'siblingUnitIds'
    | 'reopened'
    | 'plan'
    | 'unitPolicy'
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
        ...(run.assignedAt ? { assignedAt: run.assignedAt } : {}),
        ...(run.parts ? { reportClock: true } : {}),
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
  // The 6-month cap counts from the assignment, for every unit and round after it (older executions:
  // from each unit workflow's start, so re-assignment and re-handling reset it).
  if (first && patched('cap-from-assignment')) run.assignedAt = startedAt;
  // DeadlineAt and Overdue follow the parts from now on (older executions: set once, never cleared).
  if (first && patched('current-search-attributes')) run.parts = new Map();
  const planned = await Promise.all(
    list.map(async (u) => {
      const clock: UnitHandlingInput['clock'] =
        u.role === 'co' ? 'coHandlerOpinion' : round > 1 ? 'rehandling' : 'reply';
      const plan = await quick().planClock(run.base.policyVersion, clock, startedAt);
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
  if (run.parts) {
    run.parts.clear();
    for (const p of planned) openPart(run, p.unitId, p.role, p.deadlineAt);
    syncSearchAttributes(run);
  } else {
    const latest = planned
      .map((p) => p.deadlineAt)
      .sort()
      .at(-1)!;
    upsertSearchAttributes([{ key: SA.deadline, value: new Date(latest) }] as never);
  }
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

/**
 * 交办会: the batch wrote this item's assignment (records, status, event and audit) in its one
 * transaction; the item takes it up without a step of its own and starts its units' workflows at
 * once (in one workflow task), each on the clock the batch planned (no planning activities).
 */
export const adoptAssignment = async (run: SuggestionRun, p: PlannedAssignment): Promise<UnitHandle[]> => {
  const { state, audience } = run;
  patched('assignment-written');
  state.assignment = p.assignment;
  run.assigner = p.actor;
  run.assignedAt = p.startedAt;
  audience.unitIds = p.units.map((u) => u.unitId);
  state.status = 'assigned';
  upsertSearchAttributes([
    { key: SA.units, value: audience.unitIds },
    { key: SA.status, value: 'assigned' },
  ] as never);
  run.parts = new Map();
  for (const u of p.units) openPart(run, u.unitId, u.role, u.deadlineAt);
  syncSearchAttributes(run);
  const handles = await Promise.all(
    p.units.map((u) =>
      startUnit(run, {
        unitId: u.unitId,
        role: u.role,
        round: 1,
        clock: u.clock,
        startedAt: p.startedAt,
        deadlineAt: u.deadlineAt,
        siblingUnitIds: audience.unitIds.filter((x) => x !== u.unitId),
        plan: u.plan,
        unitPolicy: p.unitPolicy,
      }),
    ),
  );
  run.replyingUnitIds.splice(
    0,
    run.replyingUnitIds.length,
    ...p.units.filter((u) => u.role !== 'co').map((u) => u.unitId),
  );
  run.coParts = handles.filter((_, i) => p.units[i]!.role === 'co');
  return handles.filter((_, i) => p.units[i]!.role !== 'co');
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
  const part = run.parts?.get(res.unitId);
  if (part) part.ended = true;
  if (!res.reassignedTo) {
    syncSearchAttributes(run);
    return res;
  }
  const unitId = res.reassignedTo;
  audience.unitIds = [...audience.unitIds, unitId];
  upsertSearchAttributes([{ key: SA.units, value: audience.unitIds }] as never);
  const startedAt = new Date().toISOString();
  const clock: UnitHandlingInput['clock'] = round > 1 ? 'rehandling' : 'reply';
  const plan = await quick().planClock(run.base.policyVersion, clock, startedAt);
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
  run.parts?.delete(res.unitId); // re-assigned away: no longer a part of the item
  openPart(run, unitId, res.role, plan.deadlineAt);
  syncSearchAttributes(run);
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
    for (const p of run.parts?.values() ?? []) if (p.role === 'co') p.ended = true;
    syncSearchAttributes(run);
  }
};

/** 退回重办: that unit handles its reply again on the re-handling clock, already signed in. */
export const reopenUnit = async (run: SuggestionRun, replying: UnitHandle[], sb: SendBack) => {
  const { state, audience } = run;
  state.evaluationDeadline = null;
  const i = run.lastReplies.findIndex((x) => x.unitId === sb.unitId);
  const prev = run.lastReplies[i]!;
  const startedAt = new Date().toISOString();
  const clock = await quick().planClock(run.base.policyVersion, 'rehandling', startedAt);
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
  openPart(run, sb.unitId, prev.role, clock.deadlineAt);
  syncSearchAttributes(run);
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
