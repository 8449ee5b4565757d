/**
 * Activities do the workflow's I/O. Built by a factory that takes their dependencies, so tests can
 * pass a real data source pointed at a test database.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { appendOutbox, audit } from '@jianyi/platform';
import type { SuggestionEvent, SuggestionStatus } from '@jianyi/domain';

export interface ApplyTransitionInput {
  suggestionId: string;
  from: SuggestionStatus;
  to: SuggestionStatus;
  event: SuggestionEvent;
  registrationNo: string | null;
}

export function createActivities({ ds }: { ds: DataSource }) {
  return {
    /**
     * Writes the new status and its outbox event in one transaction. Idempotent: a retry after a
     * crash finds the status already at `to` and the event id already in the outbox, and does nothing.
     */
    async applyTransition(input: ApplyTransitionInput): Promise<void> {
      await ds.transaction(async (m) => {
        const rows: { status: string }[] = await m.query(`SELECT status FROM suggestions WHERE id = $1 FOR UPDATE`, [input.suggestionId]);
        const current = rows[0]?.status;
        if (current === undefined) throw ApplicationFailure.nonRetryable(`suggestion ${input.suggestionId} not found`, 'StaleState');
        const fresh = await appendOutbox(m, input.event);
        if (!fresh) return; // already applied by an earlier attempt
        if (current !== input.from) {
          throw ApplicationFailure.nonRetryable(`suggestion ${input.suggestionId} is ${current}, expected ${input.from}`, 'StaleState');
        }
        await m.query(
          `UPDATE suggestions SET status = $2::varchar, updated_at = now(),
             submitted_at = CASE WHEN $2::varchar = 'submitted' THEN $3::timestamptz ELSE submitted_at END,
             registration_no = COALESCE($4, registration_no)
           WHERE id = $1`,
          [input.suggestionId, input.to, input.event.occurredAt, input.registrationNo],
        );
        await audit(m, {
          actorUserId: input.event.actor.userId,
          actorRole: input.event.actor.role,
          action: input.event.type,
          entityType: 'suggestion',
          entityId: input.suggestionId,
          before: { status: input.from },
          after: { status: input.to, ...(input.registrationNo ? { registrationNo: input.registrationNo } : {}) },
        });
      });
    },

    /** 立案号 such as `2026-第0153号`: one counter per year, incremented under a row lock. Stable on retry. */
    async nextRegistrationNo(suggestionId: string): Promise<string> {
      return ds.transaction(async (m) => {
        const existing: { registration_no: string | null }[] = await m.query(`SELECT registration_no FROM suggestions WHERE id = $1`, [suggestionId]);
        if (existing[0]?.registration_no) return existing[0].registration_no;
        const year = new Date().getFullYear();
        const rows: { last_no: number }[] = await m.query(
          `INSERT INTO registration_counters (year, last_no) VALUES ($1, 1)
           ON CONFLICT (year) DO UPDATE SET last_no = registration_counters.last_no + 1 RETURNING last_no`,
          [year],
        );
        return `${year}-第${String(rows[0]!.last_no).padStart(4, '0')}号`;
      });
    },
  };
}
export type Activities = ReturnType<typeof createActivities>;
