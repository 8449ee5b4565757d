/**
 * One constituent message (群众留言, `message-<id>`): the station's deputies are told; one claims it
 * within the claim clock (24 h), else the station's staff are warned and may take it; the claimer
 * answers it, forwards it to a unit (which answers on its own clock of 7 working days, with the
 * policy's reminders and a red warning that escalates), or turns it into a suggestion draft; the
 * constituent rates the answer within the evaluation window, else it closes unrated (未评价).
 * Every step is one activity: record, outbox event and audit row in one transaction.
 */
import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import {
  decideMessage,
  type Actor,
  type MessageAction,
  type MessageEvent,
  type MessageStatus,
} from '@jianyi/domain';
import type { MessageActivities } from '../activities/message.activities';
import type { Activities } from '../activities';
import { enforce } from './failures';
import { SYSTEM } from './events';
import {
  answerMessageUpdate,
  claimMessageUpdate,
  convertMessageUpdate,
  forwardMessageUpdate,
  mergeMessageUpdate,
  messageStateQuery,
  rateMessageUpdate,
  type MessageState,
  type MessageWorkflowInput,
} from './message.messages';

const acts = proxyActivities<MessageActivities & Pick<Activities, 'planClock'>>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['StaleState'],
  },
});

const now = () => new Date().toISOString();
const KEEPS_STATUS = new Set<MessageEvent['type']>([
  'message.received',
  'message.claim_overdue',
  'message.deadline',
]);
const isUnitUser = (a: Actor) => a.role === 'unit_handler' || a.role === 'unit_leader';

class Message {
  state: MessageState = {
    status: 'pending_claim',
    claimDeadlineAt: null,
    claimOverdue: false,
    claimer: null,
    unitId: null,
    answerDeadlineAt: null,
    onTime: null,
    suggestionId: null,
    rating: null,
  };
  private claimedOnTime = false;
  constructor(private input: MessageWorkflowInput) {}

  private event(
    type: MessageEvent['type'],
    actor: Actor,
    to: MessageStatus,
    extra: object = {},
  ): MessageEvent {
    return {
      id: uuid4(),
      version: 1,
      type,
      messageId: this.input.messageId,
      occurredAt: now(),
      actor,
      policyVersion: this.input.policyVersion,
      data: {
        from: this.state.status,
        to,
        stationId: this.input.stationId,
        audience: {
          deputyIds: this.input.deputyIds,
          unitIds: this.state.unitId ? [this.state.unitId] : [],
          userIds: this.input.staffUserIds,
        },
        ...extra,
      },
    } as MessageEvent;
  }

  private async step(
    type: MessageEvent['type'],
    actor: Actor,
    to: MessageStatus,
    extra: object,
    patch: Record<string, unknown>,
    draft?: { suggestionId: string; title: string; leadDeputyId: string; createdBy: string },
  ) {
    // Records that keep the status describe it as it is now (an update may have moved it on meanwhile).
    if (KEEPS_STATUS.has(type)) to = this.state.status;
    const event = this.event(type, actor, to, extra);
    const from = this.state.status;
    // The new status holds from here on, so an update arriving while the activity runs is judged on it.
    this.state.status = to;
    await acts.applyMessageStep({ messageId: this.input.messageId, from, event, patch, draft });
  }

  /** The rules module's decision on this step, thrown as the validator's refusal (403 / 409). */
  private check(action: MessageAction, actor: Actor) {
    enforce(
      decideMessage(action, actor, {
        status: this.state.status,
        deputyIds: this.input.deputyIds,
        staffUserIds: this.input.staffUserIds,
        claimOverdue: this.state.claimOverdue,
        claimerUserId: this.state.claimer?.userId ?? null,
        unitId: this.state.unitId,
      }),
    );
  }

  register() {
    setHandler(messageStateQuery, () => this.state);
    setHandler(
      claimMessageUpdate,
      async (actor) => {
        const onTime = !this.state.claimOverdue;
        this.claimedOnTime = onTime;
        this.state.claimer = actor;
        await this.step(
          'message.claimed',
          actor,
          'claimed',
          { deputyId: actor.deputyId ?? null, onTime },
          { claimedByDeputyId: actor.deputyId ?? null, claimedByUserId: actor.userId, claimedAt: now() },
        );
        return this.state;
      },
      {
        validator: (actor) => this.check('claim', actor),
      },
    );
    setHandler(
      answerMessageUpdate,
      async (actor, { answer }) => {
        const deadline = this.state.answerDeadlineAt;
        const onTime = this.claimedOnTime && (!deadline || Date.now() <= Date.parse(deadline));
        this.state.onTime = onTime;
        const by = isUnitUser(actor) ? 'unit' : actor.role === 'deputy' ? 'deputy' : 'staff';
        await this.step(
          'message.answered',
          actor,
          'answered',
          { by, unitId: this.state.unitId, claimerDeputyId: this.state.claimer?.deputyId ?? null, onTime },
          { answer, answeredBy: actor.userId, answeredAt: now(), onTime },
        );
        return this.state;
      },
      {
        validator: (actor, { answer }) => {
          this.check('answer', actor);
          if (!answer?.trim())
            enforce({
              ok: false,
              status: 409,
              code: 'state',
              reason: { zh: '答复内容不能为空', en: 'the answer is empty' },
              field: 'answer',
            });
        },
      },
    );
    setHandler(
      forwardMessageUpdate,
      async (actor, { unitId, note }) => {
        const plan = await acts.planClock(this.input.policyVersion, 'constituentAnswer', now());
        this.state.unitId = unitId;
        this.state.answerDeadlineAt = plan.deadlineAt;
        this.unitClock = plan.marks;
        await this.step(
          'message.forwarded',
          actor,
          'forwarded',
          { unitId, deadlineAt: plan.deadlineAt },
          { unitId, forwardNote: note, forwardedAt: now(), answerDeadlineAt: plan.deadlineAt },
        );
        return this.state;
      },
      {
        validator: (actor, _input) => this.check('forward', actor),
      },
    );
    setHandler(
      convertMessageUpdate,
      async (actor, { title, suggestionId: existing }) => {
        // A suggestion may gather several messages: linked to an existing one, no new draft.
        if (existing && patched('message-link-suggestion')) {
          this.state.suggestionId = existing;
          await this.step(
            'message.converted',
            actor,
            'converted',
            { suggestionId: existing, claimerDeputyId: actor.deputyId ?? null, linked: true },
            { suggestionId: existing },
          );
          return this.state;
        }
        const suggestionId = uuid4();
        this.state.suggestionId = suggestionId;
        await this.step(
          'message.converted',
          actor,
          'converted',
          { suggestionId, claimerDeputyId: actor.deputyId ?? null },
          { suggestionId },
          { suggestionId, title, leadDeputyId: actor.deputyId!, createdBy: actor.userId! },
        );
        return this.state;
      },
      {
        validator: (actor, _input) => this.check('convert', actor),
      },
    );
    setHandler(
      mergeMessageUpdate,
      async (actor, { intoMessageId, reason }) => {
        patched('message-merge');
        await this.step(
          'message.merged',
          actor,
          'merged',
          { intoMessageId, reason },
          { mergedIntoId: intoMessageId, mergedAt: now(), mergeReason: reason },
        );
        return this.state;
      },
      {
        validator: (actor, { intoMessageId }) => {
          this.check('merge', actor);
          if (intoMessageId === this.input.messageId)
            enforce({
              ok: false,
              status: 409,
              code: 'state',
              reason: { zh: '不能合并到自身', en: 'a message cannot be merged into itself' },
              field: 'intoMessageId',
            });
        },
      },
    );
    setHandler(
      rateMessageUpdate,
      async (actor, { rating, comment }) => {
        this.state.rating = rating;
        await this.step(
          'message.rated',
          actor,
          'rated',
          { rating },
          { rating, ratingComment: comment, ratedAt: now() },
        );
        return this.state;
      },
      {
        validator: (actor, _input) => this.check('rate', actor),
      },
    );
  }

  unitClock: { level: 'reminder' | 'yellow' | 'red'; fraction: number | null; at: string }[] | null = null;

  async run() {
    const claim = await acts.planClock(this.input.policyVersion, 'constituentClaim', this.input.receivedAt);
    this.state.claimDeadlineAt = claim.deadlineAt;
    await this.step(
      'message.received',
      this.input.receivedBy ?? SYSTEM,
      'pending_claim',
      { channel: this.input.channel, category: this.input.category },
      { claimDeadlineAt: claim.deadlineAt },
    );
    const claimed = await condition(
      () => this.state.status !== 'pending_claim',
      Math.max(0, Date.parse(claim.deadlineAt) - Date.now()),
    );
    if (!claimed) {
      this.state.claimOverdue = true;
      await this.step(
        'message.claim_overdue',
        SYSTEM,
        'pending_claim',
        { deadlineAt: claim.deadlineAt },
        { claimOverdue: true },
      );
    }
    await condition(() => this.state.status !== 'pending_claim' && this.state.status !== 'claimed');
    if (this.state.status === 'forwarded') {
      // The unit's clock: reminders at 50/75%, yellow, red (escalated by the notifier).
      for (const mark of this.unitClock ?? []) {
        const answered = await condition(
          () => this.state.status !== 'forwarded',
          Math.max(0, Date.parse(mark.at) - Date.now()),
        );
        if (answered) break;
        await this.step(
          'message.deadline',
          SYSTEM,
          'forwarded',
          {
            level: mark.level,
            fraction: mark.fraction,
            unitId: this.state.unitId,
            deadlineAt: this.state.answerDeadlineAt,
          },
          mark.level === 'red' ? { overdue: true } : {},
        );
      }
      await condition(() => this.state.status !== 'forwarded');
    }
    // Converted, or merged into another message (handled and answered there): nothing more here.
    if (this.state.status === 'converted' || this.state.status === 'merged') return this.finish();
    // Answered: the constituent rates within the evaluation window, else it closes unrated.
    const window = await acts.planClock(this.input.policyVersion, 'evaluation', now());
    const rated = await condition(
      () => this.state.status === 'rated',
      Math.max(0, Date.parse(window.deadlineAt) - Date.now()),
    );
    if (!rated) {
      this.state.rating = 'no_feedback';
      await this.step('message.rated', SYSTEM, 'closed', { rating: 'no_feedback' }, {});
    }
    return this.finish();
  }

  /** The status moves before a step's activity runs: the step (convert, rate) must land before the workflow ends. */
  private async finish(): Promise<MessageState> {
    await condition(allHandlersFinished);
    return this.state;
  }
}

export async function messageWorkflow(input: MessageWorkflowInput): Promise<MessageState> {
  const m = new Message(input);
  m.register();
  return m.run();
}
