/**
 * Constituent intake (一码通): codes, new messages with their abuse limits, the views of a message
 * (public: never name or phone; handlers: name and phone only for the station's deputies and staff),
 * and the message workflow's updates.
 */
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import {
  allowedMessageActions,
  CODE_ALPHABET,
  isWellFormedCode,
  messageCategoryLabels,
  messageRatingLabels,
  messageStatusLabels,
  normalizeCode,
  plainProgress,
  plainSuggestionAnswered,
  TRACKING_CODE_LENGTH,
  type Actor,
  type MessageCategory,
  type MessageRating,
  type MessageStatus,
} from '@jianyi/domain';
import { config, policyKeyForNewWork, type SessionUser } from '@jianyi/platform';
import {
  answerMessageUpdate,
  claimMessageUpdate,
  convertMessageUpdate,
  forwardMessageUpdate,
  mergeMessageUpdate,
  messageWorkflowId,
  rateMessageUpdate,
  type MessageWorkflowInput,
} from '@jianyi/workflows';
import { TARGET_CODE_LENGTH, type MessageView } from './contracts/intake';
import { HttpProblem, problems } from './http/problem';
import { IntakeRepository, type MessageRecord, type Target } from './intake.repository';
import { toProblem } from './suggestion.service';
import { TextService } from './text.service';

export function randomCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** The address is kept only as a keyed hash (enough to count, not to recover it). */
export function sourceHash(ip: string): string {
  return createHmac('sha256', config.intake.hashKey).update(ip).digest('hex');
}

export const actorOf = (u: SessionUser): Actor => ({
  userId: u.id,
  role: u.role as Actor['role'],
  name: u.displayName,
  unitId: u.unitId,
  deputyId: u.deputyId,
});

export interface NewMessage {
  stationId: string | null;
  deputyId: string | null;
  category: MessageCategory;
  content: string;
  name: string | null;
  phone: string | null;
  consent: boolean;
  channel: 'online' | 'offline' | 'open311';
  sourceHash: string | null;
  createdBy: SessionUser | null;
  /** Open311: the registered client it came through, and where the sender said the matter is. */
  open311Client?: string | null;
  address?: string | null;
  lat?: number | null;
  long?: number | null;
}

const codeNotFound = () => problems.notFound('code');

function tooMany(what: 'address' | 'phone'): HttpProblem {
  return new HttpProblem(
    429,
    what === 'address' ? '提交过于频繁，请稍后再试' : '该手机号今日留言次数已达上限，请明天再试',
    what === 'address'
      ? 'too many messages from this address; try again later'
      : 'too many messages with this phone number today',
  );
}

export class IntakeService {
  readonly repo: IntakeRepository;
  private text: TextService;
  constructor(
    private ds: DataSource,
    private temporal: Client,
  ) {
    this.repo = new IntakeRepository(ds);
    this.text = new TextService(ds);
  }

  /** A station's or deputy's QR target; any unknown or malformed code is the same 404. */
  async target(raw: string | undefined): Promise<Target> {
    const code = normalizeCode(raw ?? '');
    if (!isWellFormedCode(code, TARGET_CODE_LENGTH)) throw codeNotFound();
    const t = await this.repo.target(code);
    if (!t) throw codeNotFound();
    return t;
  }

  /** Stores the message with a fresh tracking code and starts its workflow `message-<id>`. */
  async create(m: NewMessage): Promise<{ id: string; trackingCode: string }> {
    const policyVersion = await policyKeyForNewWork(this.ds);
    const r = await this.repo.insertMessage(
      {
        ...m,
        createdBy: m.createdBy?.id ?? null,
        open311Client: m.open311Client ?? null,
        address: m.address ?? null,
        lat: m.lat ?? null,
        long: m.long ?? null,
        policyVersion,
      },
      () => randomCode(TRACKING_CODE_LENGTH),
      m.channel === 'offline' ? null : config.intake,
    );
    if ('limited' in r) throw tooMany(r.limited);
    const input: MessageWorkflowInput = {
      version: 1,
      messageId: r.id,
      stationId: m.stationId,
      policyVersion,
      deputyIds: await this.repo.deputiesFor(m.stationId, m.deputyId),
      staffUserIds: await this.repo.staffFor(m.stationId),
      receivedAt: new Date().toISOString(),
      channel: m.channel,
      category: m.category,
      receivedBy: m.createdBy ? actorOf(m.createdBy) : null,
    };
    try {
      await this.temporal.workflow.start('messageWorkflow', {
        taskQueue: config.temporal.taskQueue,
        workflowId: messageWorkflowId(r.id),
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      // Temporal refused or was down (503): no message without its process. The row goes again (and
      // stops counting towards the sender's limits); the sender's retry makes a new one. Should the
      // start have reached Temporal after all, its first step finds no message and ends there, or a row
      // it already wrote keeps the message (the delete is refused), which is then whole.
      await this.ds.query(`DELETE FROM messages WHERE id = $1`, [r.id]).catch(() => undefined);
      throw toProblem(err);
    }
    return r;
  }

  /** The constituent's view by tracking code (no name, no phone); 404 for anything unknown or malformed. */
  async track(raw: string | undefined) {
    const code = normalizeCode(raw ?? '');
    if (!isWellFormedCode(code)) throw codeNotFound();
    const m = await this.repo.byTrackingCode(code);
    if (!m) throw codeNotFound();
    const status = m.status as MessageStatus;
    const merged = m.merged === true;
    // A merged message reads the survivor's progress after a line saying it was merged.
    const shown = (merged ? m.survivorStatus : m.status) as MessageStatus;
    const suggestionAnswered = !!m.suggestionAnsweredAt;
    const progress = [
      merged ? plainProgress('merged') : null,
      suggestionAnswered
        ? plainSuggestionAnswered((m.registrationNo ?? null) as string | null)
        : plainProgress(shown, m.unitName as string | null),
    ]
      .filter(Boolean)
      .join('');
    return {
      id: String(m.id),
      view: {
        trackingCode: String(m.trackingCode),
        status,
        statusLabel: messageStatusLabels[status],
        progress,
        category: String(m.category),
        categoryLabel: messageCategoryLabels[m.category as MessageCategory] ?? '其他',
        content: String(m.content),
        createdAt: String(m.createdAt),
        to: (m.stationName ?? m.deputyName ?? null) as string | null,
        claimerName: (m.claimerName ?? null) as string | null,
        unitName: (m.unitName ?? null) as string | null,
        answer: (m.answer ?? null) as string | null,
        answeredAt: (m.answeredAt ?? null) as string | null,
        rating: (m.rating ?? null) as string | null,
        ratingLabel: m.rating ? messageRatingLabels[m.rating as keyof typeof messageRatingLabels] : null,
        canRate: status === 'answered',
        suggestion: m.registrationNo
          ? {
              registrationNo: String(m.registrationNo),
              status: String(m.suggestionStatus),
              answered: suggestionAnswered,
              answeredAt: (m.suggestionAnsweredAt ?? null) as string | null,
              notice: suggestionAnswered ? plainSuggestionAnswered(String(m.registrationNo)) : null,
            }
          : null,
        merged,
      },
    };
  }

  async rate(raw: string | undefined, rating: MessageRating, comment: string | null) {
    const { id, view } = await this.track(raw);
    if (view.status !== 'answered')
      throw problems.conflict('only an answered message can be rated', '尚未答复或已评价');
    await this.update(id, (h) =>
      h.executeUpdate(rateMessageUpdate, {
        args: [
          { userId: null, role: null, name: '群众' },
          { rating, comment },
        ],
        updateId: `rate-${id}-${randomUUID()}`,
      }),
    );
    return { trackingCode: view.trackingCode, status: 'rated' as const, rating };
  }

  /** One message the user may see (404 otherwise), with the steps the user may take now. */
  async view(user: SessionUser, id: string): Promise<MessageView> {
    const m = await this.repo.visibleMessage(user, id);
    if (!m) throw problems.notFound('message');
    return this.present(user, m);
  }

  /** 疑似重复: messages of the same station and suggestions that read like this one (404 unless visible). */
  async similar(user: SessionUser, id: string) {
    const m = await this.repo.visibleMessage(user, id);
    if (!m) throw problems.notFound('message');
    const found = await this.text.similarToMessage(
      user,
      String(m.content),
      await this.repo.mergeCandidates(user, m),
    );
    return {
      messages: found.messages.map((x) => ({
        ...x,
        statusLabel: messageStatusLabels[x.status as MessageStatus],
      })),
      suggestions: found.suggestions,
      // The merge form's own rule: whether the caller may merge this message now.
      canMerge: this.present(user, m).allowedActions.includes('merge'),
    };
  }

  /** One page of the messages the user may see, newest first, with the count of all that match. */
  async list(
    user: SessionUser,
    q: { status?: string; suggestionId?: string; q?: string; limit: number; page?: number },
  ) {
    const page = q.page ?? 1;
    const { rows, total } = await this.repo.listMessages(user, { ...q, offset: (page - 1) * q.limit });
    return { items: rows.map((m) => this.present(user, m)), total, page, pageSize: q.limit };
  }

  private present(user: SessionUser, m: MessageRecord): MessageView {
    const { stationDeputyIds, stationStaffIds, ...rest } = m;
    const deputyIds = [...new Set([...(m.deputyId ? [m.deputyId] : []), ...stationDeputyIds])];
    return {
      ...(rest as unknown as Omit<MessageView, 'statusLabel' | 'allowedActions'>),
      statusLabel: messageStatusLabels[m.status as MessageStatus],
      allowedActions: allowedMessageActions(
        { userId: user.id, role: user.role, deputyId: user.deputyId, unitId: user.unitId },
        {
          status: m.status as MessageStatus,
          deputyIds,
          staffUserIds: stationStaffIds,
          claimOverdue: m.claimOverdue,
          claimerUserId: m.claimedByUserId,
          unitId: m.unitId,
        },
      ),
    };
  }

  claim(user: SessionUser, id: string) {
    return this.update(id, (h) =>
      h.executeUpdate(claimMessageUpdate, { args: [actorOf(user)], updateId: `claim-${id}-${randomUUID()}` }),
    );
  }
  answer(user: SessionUser, id: string, b: { answer: string }) {
    return this.update(id, (h) =>
      h.executeUpdate(answerMessageUpdate, {
        args: [actorOf(user), b],
        updateId: `answer-${id}-${randomUUID()}`,
      }),
    );
  }
  async forward(user: SessionUser, id: string, b: { unitId: string; note: string }) {
    if (!(await this.repo.activeUnit(b.unitId)))
      throw problems.invalid([{ field: 'unitId', message: '承办单位：不存在', messageEn: 'no such unit' }]);
    return this.update(id, (h) =>
      h.executeUpdate(forwardMessageUpdate, {
        args: [actorOf(user), { unitId: b.unitId, note: b.note }],
        updateId: `forward-${id}-${randomUUID()}`,
      }),
    );
  }
  convert(user: SessionUser, id: string, b: { title: string }) {
    return this.update(id, (h) =>
      h.executeUpdate(convertMessageUpdate, {
        args: [actorOf(user), b],
        updateId: `convert-${id}-${randomUUID()}`,
      }),
    );
  }

  /** 并入已有建议: the message joins a suggestion the claiming deputy leads (one suggestion, several messages). */
  async link(user: SessionUser, id: string, b: { suggestionId: string }) {
    // Others than deputies are refused by the workflow's rule (403); a deputy names a suggestion they lead.
    if (
      user.role === 'deputy' &&
      !(user.deputyId && (await this.repo.linkable(user.deputyId, b.suggestionId)))
    )
      throw problems.invalid([
        {
          field: 'suggestionId',
          message: '代表建议：不存在、不是您领衔的建议或已结束',
          messageEn: 'no open suggestion of yours',
        },
      ]);
    return this.update(id, (h) =>
      h.executeUpdate(convertMessageUpdate, {
        args: [actorOf(user), { title: '', suggestionId: b.suggestionId }],
        updateId: `link-${id}-${randomUUID()}`,
      }),
    );
  }

  /** 合并重复留言: into a message of the same station the caller may see, not merged itself. */
  async merge(user: SessionUser, id: string, b: { intoMessageId: string; reason: string }) {
    const from = await this.repo.visibleMessage(user, id);
    if (!from) throw problems.notFound('message');
    if (from.status === 'merged') throw problems.conflict('the message was already merged', '留言已合并');
    const target = await this.repo.mergeTarget(user, from, b.intoMessageId);
    if (target !== 'ok')
      throw problems.invalid([
        {
          field: 'intoMessageId',
          message:
            target === 'merged'
              ? '保留的留言：已合并到其他留言'
              : target === 'other_station'
                ? '保留的留言：不是同一站点的留言'
                : '保留的留言：不存在',
          messageEn:
            target === 'merged'
              ? 'that message was merged itself'
              : target === 'other_station'
                ? 'not a message of the same station'
                : 'no such message',
        },
      ]);
    return this.update(id, (h) =>
      h.executeUpdate(mergeMessageUpdate, {
        args: [actorOf(user), { intoMessageId: b.intoMessageId, reason: b.reason || '重复留言' }],
        updateId: `merge-${id}-${randomUUID()}`,
      }),
    );
  }

  /** Runs an update on the message's workflow; refusals become 403/409 problem documents. */
  private async update<T>(
    messageId: string,
    run: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<T>,
  ) {
    try {
      return await run(this.temporal.workflow.getHandle(messageWorkflowId(messageId)));
    } catch (err) {
      throw toProblem(err);
    }
  }
}
