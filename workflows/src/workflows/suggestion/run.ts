/**
 * What one execution of the suggestion workflow knows, shared by its phases (step runner, review,
 * clocks, units, evaluation, supervision, follow-up). Workflow code: no I/O.
 */
import { patched, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Actor, Rating, SuggestionAction, SuggestionEventType } from '@jianyi/domain';
import type { Effect } from '../../activities/effects';
import type { EventExtra } from '../events';
import type {
  PlannedAssignment,
  SuggestionState,
  SuggestionWorkflowInput,
  UnitResult,
  UnitRole,
} from '../suggestion.messages';
import type { unitHandlingWorkflow } from '../unit-handling.workflow';
import { createStepRunner } from './step-runner';

export type UnitHandle = ChildWorkflowHandle<typeof unitHandlingWorkflow>;
/** The payload an event of type T needs (required unless it has none), then the step's effects. */
export type StepArgs<T extends SuggestionEventType> =
  Partial<EventExtra<T>> extends EventExtra<T>
    ? [extra?: EventExtra<T>, effects?: Effect[]]
    : [extra: EventExtra<T>, effects?: Effect[]];
/** One unit's part of the current round, as the parent knows it. */
export type PartClock = { role: UnitRole; deadlineAt: string; overdue: boolean; ended: boolean };
export type SendBack = { unitId: string; reason: string; by: Actor };

export interface SuggestionRun {
  readonly input: SuggestionWorkflowInput;
  readonly state: SuggestionState;
  /** Who follows the item's events: the signers (and deputies of merged items) and the handling units. */
  readonly audience: { deputyIds: string[]; unitIds: string[] };
  // The policy version can change once, at acceptance (see apply); every later step uses base.policyVersion.
  readonly base: {
    suggestionId: string;
    policyVersion: string;
    audience: { deputyIds: string[]; unitIds: string[] };
  };
  /** Later versions of this workflow; executions started before them replay on their old path. */
  readonly patches: {
    policyAtAcceptance: boolean;
    keyItems: boolean;
    stepClocks: boolean;
    /** The item's own clocks (pre-review, assignment, evaluation) follow a loaded calendar year. */
    calendarReplan: boolean;
  };
  /** Read through a function: TypeScript would otherwise keep a narrowed status across awaits. */
  readonly statusNow: () => SuggestionState['status'];

  // ---- step runner (step-runner.ts) ----
  busy: boolean;
  /** The status a step in flight is writing: the projection may already show it to the user. */
  pendingTo: SuggestionState['status'] | null;
  /** A status change: records + projection + outbox row + audit in one transaction (activity). */
  readonly apply: <T extends SuggestionEventType>(
    actor: Actor,
    action: SuggestionAction,
    type: T,
    ...rest: StepArgs<T>
  ) => Promise<SuggestionState>;
  /** A step that keeps the status: one at a time, like apply. */
  readonly record: <T extends SuggestionEventType>(
    actor: Actor,
    type: T,
    ...rest: StepArgs<T>
  ) => Promise<void>;

  // ---- review (review.ts) ----
  /** 联名代表 as last submitted (the lead deputy may change them when revising a returned item). */
  cosigners: string[] | undefined;
  /** Who assigned the item (交办), from the assign update. */
  assigner: Actor | null;
  /** 交办会: the assignment a batch wrote in its transaction (signal), which the item adopts. */
  written: PlannedAssignment | null;

  // ---- units (units.ts) ----
  /** Every unit workflow started so far (a completed one ignores a signal: its error is dropped). */
  readonly children: UnitHandle[];
  /** The units that answer the deputy in the current round (lead or 分办 units, after any re-assignment). */
  readonly replyingUnitIds: string[];
  /** The co-handlers' parts of the current round (协办): they end when the lead's reply is in. */
  coParts: UnitHandle[];
  /** The replies of the current round, as the units sent them. */
  readonly lastReplies: UnitResult[];
  /** The first unit to sign in starts handling; later sign-ins change nothing. */
  handlingStarted: boolean;
  /** When the item was assigned (交办): the handling cap counts from it (null in older executions). */
  assignedAt: string | null;
  /**
   * The parts of the current round as their unit workflows report them (deadline, overdue, ended), from
   * which the `DeadlineAt` and `Overdue` search attributes are kept current; null in older executions.
   */
  parts: Map<string, PartClock> | null;
  /** The search attribute values last written, so a report that changes nothing writes nothing. */
  searchAttributes: { deadlineAt: string | null; overdue: boolean | null };

  // ---- evaluation (evaluation.ts) ----
  pendingRating: { rating: Rating; comment: string | null; by: Actor } | null;
  consultation: { summary: string; by: Actor } | null;
  /** 退回重办 asked by the reviewer, until the unit's workflow is started again. */
  sendBack: SendBack | null;

  // ---- clocks (clocks.ts) ----
  /** Calendar years loaded while the item runs (calendarChanged signal): each load bumps `version`. */
  calendar: { version: number; years: number[] };

  // ---- supervision (supervision.ts) ----
  /** 重点督办: picked by the chair's council, recorded by the reviewer or a supervisor. */
  keySupervision: boolean;
}

export function createRun(input: SuggestionWorkflowInput): SuggestionRun {
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
  const base = { suggestionId: input.suggestionId, policyVersion: input.policyVersion, audience };
  // The order of these patched() calls is part of the recorded histories: keep it.
  const patches = {
    policyAtAcceptance: patched('policy-at-acceptance'),
    keyItems: patched('key-items'),
    stepClocks: patched('step-clocks'),
    calendarReplan: patched('parent-calendar-replan'),
  };
  const run = {
    input,
    state,
    audience,
    base,
    patches,
    statusNow: () => state.status,
    busy: false,
    pendingTo: null,
    cosigners: input.cosignerDeputyIds,
    assigner: null,
    written: null,
    children: [],
    replyingUnitIds: [],
    coParts: [],
    lastReplies: [],
    handlingStarted: false,
    assignedAt: null,
    parts: null,
    searchAttributes: { deadlineAt: null, overdue: null },
    pendingRating: null,
    consultation: null,
    sendBack: null,
    keySupervision: false,
    calendar: { version: 0, years: [] },
  } as Omit<SuggestionRun, 'apply' | 'record'> as SuggestionRun;
  Object.assign(run, createStepRunner(run));
  return run;
}
