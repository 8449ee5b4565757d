/** The constituent message workflow's I/O: one step = record + outbox event + audit row, one transaction. */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource, EntityManager } from 'typeorm';
import { appendMessageOutbox, audit } from '@jianyi/platform';
import { messageCategoryLabels, type MessageCategory, type MessageEvent } from '@jianyi/domain';

/** Columns a step may set on `messages` (camelCase → column). */
const columns = {
  claimDeadlineAt: 'claim_deadline_at',
  claimOverdue: 'claim_overdue',
  claimedByDeputyId: 'claimed_by_deputy_id',
  claimedByUserId: 'claimed_by_user_id',
  claimedAt: 'claimed_at',
  unitId: 'unit_id',
  forwardNote: 'forward_note',
  forwardedAt: 'forwarded_at',
  answerDeadlineAt: 'answer_deadline_at',
  overdue: 'overdue',
  answer: 'answer',
  answeredBy: 'answered_by',
  answeredAt: 'answered_at',
  onTime: 'on_time',
  suggestionId: 'suggestion_id',
  rating: 'rating',
  ratingComment: 'rating_comment',
  ratedAt: 'rated_at',
  mergedIntoId: 'merged_into_id',
  mergedAt: 'merged_at',
  mergeReason: 'merge_reason',
} as const;
export type MessagePatch = Partial<Record<keyof typeof columns, string | boolean | null>>;

export interface ApplyMessageStepInput {
  messageId: string;
  from: string;
  event: MessageEvent;
  patch: MessagePatch;
  /** 转为代表建议: the draft to create, linked to the message. */
  draft?: { suggestionId: string; title: string; leadDeputyId: string; createdBy: string };
}

/**
 * 建议已答复: inside the suggestion step's transaction, every message turned into (or linked to) the
 * suggestion and not yet told gets `suggestion_answered_at` and a `message.suggestion_answered`
 * event (the tracking page shows it; the claimer and staff are asked to tell a constituent who
 * consented to contact). Runs once per suggestion step: the caller's outbox append is the guard.
 */
export async function tellLinkedMessages(
  m: EntityManager,
  suggestionId: string,
  occurredAt: string,
): Promise<number> {
  const rows: {
    id: string;
    stationId: string | null;
    deputyId: string | null;
    unitId: string | null;
    policyVersion: string;
    registrationNo: string | null;
    deputyIds: string[];
    staffIds: string[];
  }[] = await m.query(
    `SELECT ms.id, ms.station_id AS "stationId", ms.deputy_id AS "deputyId", ms.unit_id AS "unitId",
            ms.policy_version AS "policyVersion", sg.registration_no AS "registrationNo",
            ARRAY(SELECT sd.deputy_id::text FROM station_deputies sd WHERE sd.station_id = ms.station_id) AS "deputyIds",
            ARRAY(SELECT ss.user_id::text FROM station_staff ss WHERE ss.station_id = ms.station_id) AS "staffIds"
     FROM messages ms JOIN suggestions sg ON sg.id = ms.suggestion_id
     WHERE ms.suggestion_id = $1 AND ms.status = 'converted' AND ms.suggestion_answered_at IS NULL
     ORDER BY ms.created_at FOR UPDATE OF ms`,
    [suggestionId],
  );
  for (const r of rows) {
    await m.query(`UPDATE messages SET suggestion_answered_at = $2, updated_at = now() WHERE id = $1`, [
      r.id,
      occurredAt,
    ]);
    await appendMessageOutbox(m, {
      id: randomUUID(),
      version: 1,
      type: 'message.suggestion_answered',
      messageId: r.id,
      occurredAt,
      actor: { userId: null, role: null, name: '系统' },
      policyVersion: r.policyVersion,
      data: {
        from: 'converted',
        to: 'converted',
        stationId: r.stationId,
        audience: {
          deputyIds: [...new Set([...(r.deputyId ? [r.deputyId] : []), ...r.deputyIds])],
          unitIds: r.unitId ? [r.unitId] : [],
          userIds: r.staffIds,
        },
        suggestionId,
        registrationNo: r.registrationNo,
      },
    });
  }
  return rows.length;
}

export function createMessageActivities({ ds }: { ds: DataSource }) {
  return {
    async applyMessageStep(input: ApplyMessageStepInput): Promise<void> {
      await ds.transaction(async (m) => {
        const rows: { status: string; content: string; category: string }[] = await m.query(
          `SELECT status, content, category FROM messages WHERE id = $1 FOR UPDATE`,
          [input.messageId],
        );
        const row = rows[0];
        if (!row) throw ApplicationFailure.nonRetryable(`message ${input.messageId} not found`, 'StaleState');
        // A step that keeps the status (received, claim overdue, a deadline mark) may meet a step that
        // moved on meanwhile: it is recorded and leaves the status as it is.
        const keeps = input.from === input.event.data.to;
        const to = keeps ? row.status : input.event.data.to;
        if (!keeps && row.status !== input.from && row.status !== to)
          throw ApplicationFailure.nonRetryable(
            `message ${input.messageId} is ${row.status}, expected ${input.from}`,
            'StaleState',
          );
        if (!(await appendMessageOutbox(m, input.event))) return; // applied by an earlier attempt
        const sets = ['status = $2', 'updated_at = now()'];
        const params: unknown[] = [input.messageId, to];
        for (const [k, v] of Object.entries(input.patch)) {
          const col = columns[k as keyof typeof columns];
          if (!col) continue;
          params.push(v);
          sets.push(`${col} = $${params.length}`);
        }
        await m.query(`UPDATE messages SET ${sets.join(', ')} WHERE id = $1`, params);
        if (input.draft) {
          const d = input.draft;
          const label = messageCategoryLabels[row.category as MessageCategory] ?? '其他';
          await m.query(
            `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, topic)
             VALUES ($1, $2, $3, 'draft', $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
            [
              d.suggestionId,
              d.title.slice(0, 200),
              `(来自群众留言)\n${row.content}`,
              d.leadDeputyId,
              d.createdBy,
              label.slice(0, 32),
            ],
          );
        }
        await audit(m, {
          actorUserId: input.event.actor.userId,
          actorRole: input.event.actor.role,
          action: input.event.type,
          entityType: 'message',
          entityId: input.messageId,
          before: { status: row.status },
          after: { status: to, ...(input.draft ? { suggestionId: input.draft.suggestionId } : {}) },
        });
      });
    },
  };
}
export type MessageActivities = ReturnType<typeof createMessageActivities>;
