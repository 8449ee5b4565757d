/**
 * The one way the API drives a suggestion's process on Temporal (工作流生命周期): start the item's
 * workflow, send each human step as a typed update to the item's workflow (`item(id)`) or to one
 * unit's handling workflow of a round (`unit(id, unitId, round)`), and signal a unit's clock.
 * Nothing else in the API calls `workflow.start`, `getHandle`, `executeUpdate` or `signal`.
 * Visibility, role checks and turning a validator's refusal into 403/409 stay with the caller
 * (suggestion.service.ts).
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import type { Actor } from '@jianyi/domain';
import { config, suggestionWorkflowId } from '@jianyi/platform';
import {
  assignUpdate,
  calendarChangedSignal,
  consultationUpdate,
  contactUpdate,
  decideRequestUpdate,
  draftReplyUpdate,
  followUpUpdate,
  keySupervisionUpdate,
  opinionUpdate,
  progressReportUpdate,
  rateUpdate,
  resubmitUpdate,
  reviewUpdate,
  sendBackReplyUpdate,
  sendReplyUpdate,
  signInUpdate,
  signOffUpdate,
  unitRequestUpdate,
  unitWorkflowId,
  urgeUpdate,
  withdrawUpdate,
  withholdPublicationUpdate,
  type Assignment,
  type AssignmentMeetingInput,
  type AssignmentMeetingResult,
  type ReplyDraft,
  type RequestDecision,
  type ReviewDecision,
  type SuggestionWorkflowInput,
  type UnitRequest,
} from '@jianyi/workflows';

/** The input of an update after its actor. */
type Input<D> = D extends UpdateDefinition<unknown, [Actor, infer I]> ? I : never;

/** Sends update `def` with `args` to the workflow behind `h`; the answer is the workflow's new state. */
function send<R, A extends [Actor, ...unknown[]]>(
  h: WorkflowHandle,
  def: UpdateDefinition<R, A>,
  ...args: A
): Promise<R> {
  return h.executeUpdate(def, { args });
}

/** The human steps on the item's own workflow (`suggestion-<id>`). */
export class ItemSteps {
  constructor(private h: WorkflowHandle) {}
  review = (actor: Actor, decision: ReviewDecision) => send(this.h, reviewUpdate, actor, decision);
  resubmit = (actor: Actor, r: { cosignerDeputyIds?: string[] }) => send(this.h, resubmitUpdate, actor, r);
  withdraw = (actor: Actor) => send(this.h, withdrawUpdate, actor);
  assign = (actor: Actor, a: Assignment) => send(this.h, assignUpdate, actor, a);
  rate = (actor: Actor, r: Input<typeof rateUpdate>) => send(this.h, rateUpdate, actor, r);
  recordConsultation = (actor: Actor, summary: string) =>
    send(this.h, consultationUpdate, actor, { summary });
  urge = (actor: Actor, u: { note: string; unitId?: string }) => send(this.h, urgeUpdate, actor, u);
  reportFollowUp = (actor: Actor, f: Input<typeof followUpUpdate>) => send(this.h, followUpUpdate, actor, f);
  withholdPublication = (actor: Actor, reason: string) =>
    send(this.h, withholdPublicationUpdate, actor, { reason });
  sendBackReply = (actor: Actor, unitId: string, reason: string) =>
    send(this.h, sendBackReplyUpdate, actor, { unitId, reason });
  reportProgress = (actor: Actor, unitId: string, summary: string) =>
    send(this.h, progressReportUpdate, actor, { unitId, summary });
  setKeySupervision = (actor: Actor, k: { supervisingLeaderId?: string }) =>
    send(this.h, keySupervisionUpdate, actor, k);
  /** A calendar year was loaded: the item's own running clock (pre-review, assignment, evaluation) re-plans. */
  calendarChanged = (years: number[]) => this.h.signal(calendarChangedSignal, { years });
}

/** A unit's step, as the unit's handling workflow takes it. */
export type UnitStep =
  | { kind: 'sign-in' }
  | { kind: 'sign-off' }
  | { kind: 'send' }
  | { kind: 'contact'; contact: { contactedOn: string; form: string; summary: string } }
  | { kind: 'draft'; draft: ReplyDraft }
  | { kind: 'opinion'; body: string }
  | { kind: 'request'; request: UnitRequest };

/** The steps on one unit's handling workflow of a round (`unitWorkflowId`). */
export class UnitSteps {
  constructor(private h: WorkflowHandle) {}

  step(actor: Actor, step: UnitStep) {
    switch (step.kind) {
      case 'sign-in':
        return send(this.h, signInUpdate, actor);
      case 'contact':
        return send(this.h, contactUpdate, actor, step.contact);
      case 'draft':
        return send(this.h, draftReplyUpdate, actor, step.draft);
      case 'sign-off':
        return send(this.h, signOffUpdate, actor);
      case 'send':
        return send(this.h, sendReplyUpdate, actor);
      case 'opinion':
        return send(this.h, opinionUpdate, actor, { body: step.body });
      case 'request':
        return send(this.h, unitRequestUpdate, actor, step.request);
    }
  }
  /** The reviewer's or coordinator's decision on the unit's re-assignment or extension request. */
  decideRequest = (actor: Actor, d: RequestDecision) => send(this.h, decideRequestUpdate, actor, d);
  /** A calendar year the unit's clock counts through was loaded: re-plan its deadlines. */
  calendarChanged = (years: number[]) => this.h.signal(calendarChangedSignal, { years });
}

export class SuggestionLifecycle {
  constructor(private temporal: Client) {}

  /** Starts the item's workflow; idempotent by workflow id (a retried submit attaches to the running one). */
  async start(input: SuggestionWorkflowInput): Promise<string> {
    const workflowId = suggestionWorkflowId(input.suggestionId);
    await this.temporal.workflow.start('suggestionWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return workflowId;
  }

  /** Has the item's workflow been started (running or finished)? */
  started(suggestionId: string): Promise<boolean> {
    return this.temporal.workflow
      .getHandle(suggestionWorkflowId(suggestionId))
      .describe()
      .then(
        () => true,
        // Not found: never started. Anything else (Temporal down) is not an answer: the caller's 503.
        (err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return false;
          throw err;
        },
      );
  }

  /**
   * 交办会: one batch workflow for many items (assignment-meeting.workflow.ts), its id from the caller's
   * key, so a retried request attaches to the same batch (running or finished) and gets its answer. The
   * request's hash is kept in the memo: the same key with another body is refused (422) by the caller.
   */
  async assignmentMeeting(
    key: string,
    input: AssignmentMeetingInput,
  ): Promise<{ sameRequest: boolean; result: () => Promise<AssignmentMeetingResult> }> {
    const workflowId = `assignment-meeting-${key}`;
    let h: WorkflowHandle;
    try {
      h = await this.temporal.workflow.start('assignmentMeetingWorkflow', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        args: [input],
        memo: { requestHash: input.requestHash },
        // A task that issues a hundred signals may take longer than the default 10 s on a loaded host.
        workflowTaskTimeout: '1 minute',
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      h = this.temporal.workflow.getHandle(workflowId);
    }
    const memo = (await h.describe()).memo as { requestHash?: string } | undefined;
    return {
      sameRequest: memo?.requestHash === input.requestHash,
      result: () => h.result() as Promise<AssignmentMeetingResult>,
    };
  }

  item(suggestionId: string): ItemSteps {
    return new ItemSteps(this.temporal.workflow.getHandle(suggestionWorkflowId(suggestionId)));
  }

  unit(suggestionId: string, unitId: string, round: number): UnitSteps {
    return new UnitSteps(this.temporal.workflow.getHandle(unitWorkflowId(suggestionId, unitId, round)));
  }
}
