import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, Duration, Rating, SignOffRole, SuggestionStatus } from '@jianyi/domain';

export interface SuggestionWorkflowInput {
  version: 1;
  suggestionId: string;
  leadDeputyId: string;
  policyVersion: string;
  submittedBy: Actor;
  /** 联名代表: they follow the item (events, notices) with the lead deputy. */
  cosignerDeputyIds?: string[];
  /** 涉密: closed but never published. */
  confidential?: boolean;
}

export interface SuggestionState {
  suggestionId: string;
  status: SuggestionStatus;
  registrationNo: string | null;
  reviewRounds: number;
  round: number;
  assignment: Assignment | null;
  ratings: { round: number; rating: Rating }[];
  evaluationDeadline: string | null;
  /** 交办 deadline: after-session (届次, counted from the session's close) or between sessions (absent in older executions). */
  assignmentDeadline?: string | null;
  /** 跟踪办理 of B/C replies: open until the unit reports a final result. */
  followUps?: { unitId: string; promisedDate: string; due: boolean; done: boolean }[];
  /** 联名代表's own ratings (recorded; the lead deputy's rating decides the outcome). */
  cosignerRatings?: { round: number; deputyId: string; rating: Rating }[];
  /** 重点督办 progress reports: the current period, when it ends, and the units that reported in it. */
  progress?: { period: number; dueAt: string | null; reported: string[] };
  /** 不予公开: closed without publication, because the item is confidential (涉密) or the deputy objected. */
  publicationWithheld?: { kind: 'confidential' | 'objection'; reason: string };
}

/** Pre-review decision of the reviewer (代表工委). */
export type ReviewDecision =
  | { decision: 'accept' }
  | { decision: 'return'; comments: string }
  | { decision: 'reject'; reason: string }
  /** 转来信处理, with the reason the deputy is told (absent in histories from before it was required). */
  | { decision: 'convert'; reason?: string }
  /** 并案: merged into another suggestion; its deputies follow the surviving item. */
  | { decision: 'merge'; intoSuggestionId: string; reason?: string };

/** 交办: 分办 (each unit answers) or 主办 + 协办 (the lead answers, co-handlers send it opinions). */
export type Assignment =
  { mode: 'separate'; unitIds: string[] } | { mode: 'lead'; leadUnitId: string; coUnitIds: string[] };

export const stateQuery = defineQuery<SuggestionState>('state');
export const reviewUpdate = defineUpdate<SuggestionState, [Actor, ReviewDecision]>('review');
/** 退回修改 → 重新提交; the co-signers as revised (absent from older callers: unchanged). */
export const resubmitUpdate = defineUpdate<SuggestionState, [Actor, { cosignerDeputyIds?: string[] }?]>(
  'resubmit',
);
export const withdrawUpdate = defineUpdate<SuggestionState, [Actor]>('withdraw');
export const assignUpdate = defineUpdate<SuggestionState, [Actor, Assignment]>('assign');
export const rateUpdate = defineUpdate<
  SuggestionState,
  [Actor, { rating: Exclude<Rating, 'no_feedback'>; comment?: string }]
>('rate');
export const consultationUpdate = defineUpdate<SuggestionState, [Actor, { summary: string }]>(
  'recordConsultation',
);
/** To a surviving suggestion after a merge (并案): these deputies follow it from now on. */
export const addFollowersSignal = defineSignal<[string[]]>('addFollowers');
/** 退回重办: the reviewer sends one unit's reply back before it is rated; that unit drafts, signs and sends again. */
export const sendBackReplyUpdate = defineUpdate<SuggestionState, [Actor, { unitId: string; reason: string }]>(
  'sendBackReply',
);
/** 不予公开: the reviewer marks the item confidential (涉密) or the lead deputy objects to publishing the reply, with reasons. */
export const withholdPublicationUpdate = defineUpdate<SuggestionState, [Actor, { reason: string }]>(
  'withholdPublication',
);
/** 重点督办: a handling unit's progress report for the current period. */
export const progressReportUpdate = defineUpdate<
  SuggestionState,
  [Actor, { unitId: string; summary: string }]
>('reportProgress');
/** From the parent to its units' workflows: the item was put under key supervision (principal-leader sign-off). */
export const keyItemSignal = defineSignal('keyItem');
/** From the parent to an open co-handler part (协办): the lead's reply is in, the part ends with it. */
export const closePartSignal = defineSignal('closePart');
/** From a unit's child workflow to its parent: the first sign-in starts handling. */
export const unitSignedInSignal = defineSignal<[string]>('unitSignedIn');
/** A year's holidays were loaded (工作日历): the unit's running clock is re-planned if it changes. */
export const calendarChangedSignal = defineSignal<[{ years: number[] }]>('calendarChanged');

// ---- one unit's handling (child workflow) ----

export type UnitRole = 'lead' | 'co' | 'separate';

export interface UnitHandlingInput {
  suggestionId: string;
  parentWorkflowId: string;
  unitId: string;
  role: UnitRole;
  round: number;
  policyVersion: string;
  audience: { deputyIds: string[]; unitIds: string[] };
  /** Which policy clock runs: the reply (or re-handling) deadline, or the co-handler's opinion deadline. */
  clock: 'reply' | 'rehandling' | 'coHandlerOpinion';
  startedAt: string;
  deadlineAt: string;
  /** The other units of this round, which a re-assignment may not hand the item to (absent in older histories). */
  siblingUnitIds?: string[];
  /** The item is under key supervision (重点督办): the policy's key sign-off rule applies. */
  keyItem?: boolean;
  /** 退回重办: the unit handles its sent-back reply again (already signed in; its contacts count). */
  reopened?: { reason: string; contacts: number };
  /**
   * When the item was assigned (交办): the total handling cap (maxHandling, 6 months) counts from it,
   * not from this unit's start. Absent in executions from before (their cap counts from startedAt).
   */
  assignedAt?: string;
  /** Report clock changes (deadline, overdue, end) to the parent, which keeps the item's search attributes current. */
  reportClock?: boolean;
  /**
   * Planned by the 交办会's one transaction (activity `assignMany`): the clock's marks and the policy numbers,
   * so the unit's workflow starts its timers without activities of its own (absent: it plans them itself).
   */
  plan?: PlannedClock;
  unitPolicy?: PlannedUnitPolicy;
}

/** A deadline and its warning marks (the shape of the planClock activity's answer). */
export interface PlannedClock {
  deadlineAt: string;
  marks: { level: 'reminder' | 'yellow' | 'red'; fraction: number | null; at: string }[];
}
/** The policy numbers a unit's workflow checks (the shape of the unitPolicy activity's answer). */
export interface PlannedUnitPolicy {
  pauseClockDuringReassignment: boolean;
  extensionMaxCount: number;
  extensionMaxEach: Duration;
  reassignmentUntil: string;
  handlingCap: string;
  signOff: { normal: SignOffRole; key: SignOffRole };
}

/**
 * 交办会: one item's assignment as the batch wrote it (records, projection, outbox event and audit row, in
 * the one transaction of the batch, activity `assignMany`). The item's workflow adopts it: status
 * assigned, its units' workflows started with their planned clocks; it writes nothing more for the step.
 */
export interface PlannedAssignment {
  batchId: string;
  suggestionId: string;
  /** The outbox event the batch wrote (suggestion.assigned). */
  eventId: string;
  assignment: Assignment;
  actor: Actor;
  /** When the batch assigned it: the units' clocks and the handling cap count from here. */
  startedAt: string;
  units: {
    unitId: string;
    role: UnitRole;
    clock: 'reply' | 'coHandlerOpinion';
    deadlineAt: string;
    plan: PlannedClock;
  }[];
  unitPolicy: PlannedUnitPolicy;
}
/** From the 交办会 batch workflow to an item's workflow: its assignment is written, adopt it. */
export const assignmentWrittenSignal = defineSignal<[PlannedAssignment]>('assignmentWritten');

/** From a unit's workflow to its parent: the part's deadline as it is now, whether it is overdue, whether it has ended. */
export const partClockSignal =
  defineSignal<[{ unitId: string; round: number; deadlineAt: string; overdue: boolean; ended: boolean }]>(
    'partClock',
  );

/** 申请调整 (the unit says the matter is not its responsibility) or 延期 (more time). */
export type UnitRequest =
  | { kind: 'reassignment'; reason: string }
  | {
      kind: 'extension';
      reason: string;
      amount: { amount: number; unit: 'working_days' | 'calendar_days' | 'months' | 'hours' | 'seconds' };
    };
export interface RequestDecision {
  approve: boolean;
  note?: string;
  /** for an approved re-assignment: the unit that takes over */ newUnitId?: string;
}

export interface ReplyDraft {
  category: 'A' | 'B' | 'C' | 'D';
  body: string;
  /** Required for B (the date it will be solved) and C when an explanation is not enough. */
  promisedDate?: string;
  explanation?: string;
  /** 答复函: the unit's document number (文号) and contact for the deputy (联系人, 联系电话). */
  documentNo?: string;
  contactPerson?: string;
  contactPhone?: string;
}

export interface UnitState {
  unitId: string;
  role: UnitRole;
  round: number;
  signedIn: boolean;
  contacts: number;
  draft: ReplyDraft | null;
  signedOff: boolean;
  done: boolean;
  deadlineAt: string;
  warnings: string[];
  pendingRequest: UnitRequest | null;
  extensions: number;
  reassignedTo: string | null;
  /** The part ended with the item (a co-handler's part still open when the lead replied). */
  closed?: boolean;
}

export interface UnitResult {
  unitId: string;
  role: UnitRole;
  category: ReplyDraft['category'] | null;
  reassignedTo?: string | null;
  promisedDate?: string | null;
  contacts?: number;
}

export const unitStateQuery = defineQuery<UnitState>('unitState');
export const signInUpdate = defineUpdate<UnitState, [Actor]>('signIn');
export const contactUpdate = defineUpdate<
  UnitState,
  [Actor, { contactedOn: string; form: string; summary: string }]
>('logContact');
export const draftReplyUpdate = defineUpdate<UnitState, [Actor, ReplyDraft]>('draftReply');
export const signOffUpdate = defineUpdate<UnitState, [Actor]>('signOff');
export const sendReplyUpdate = defineUpdate<UnitState, [Actor]>('sendReply');
export const opinionUpdate = defineUpdate<UnitState, [Actor, { body: string }]>('sendOpinion');
export const unitRequestUpdate = defineUpdate<UnitState, [Actor, UnitRequest]>('requestChange');
export const decideRequestUpdate = defineUpdate<UnitState, [Actor, RequestDecision]>('decideRequest');
/** 催办 and 重点督办 on the whole item. */
export const urgeUpdate = defineUpdate<SuggestionState, [Actor, { note: string; unitId?: string }]>('urge');
/** 跟踪办理: the unit's progress report on a B/C reply; `final` closes the follow-up. */
export const followUpUpdate = defineUpdate<
  SuggestionState,
  [Actor, { unitId: string; report: string; final: boolean }]
>('reportFollowUp');
export const keySupervisionUpdate = defineUpdate<SuggestionState, [Actor, { supervisingLeaderId?: string }]>(
  'setKeySupervision',
);

export const unitWorkflowId = (suggestionId: string, unitId: string, round: number) =>
  `suggestion-${suggestionId}-unit-${unitId}-r${round}`;
