/**
 * Record writes that belong to a workflow step. Each runs inside the step's transaction, together
 * with the status change, the outbox event and the audit row, and is idempotent under retry
 * (fixed ids chosen by the workflow, ON CONFLICT DO NOTHING).
 */
import type { EntityManager } from 'typeorm';

export type Effect =
  | {
      kind: 'assign';
      round: number;
      units: { id: string; unitId: string; role: 'lead' | 'co' | 'separate'; deadlineAt: string | null }[];
    }
  | { kind: 'sign_in'; unitId: string; round: number }
  | {
      kind: 'contact';
      id: string;
      unitId: string;
      contactedOn: string;
      form: string;
      summary: string;
      by: string | null;
    }
  | {
      kind: 'draft';
      id: string;
      unitId: string;
      round: number;
      reply: 'reply' | 'opinion';
      category: string | null;
      body: string;
      promisedDate: string | null;
      explanation: string | null;
      /** 答复函 fields; absent in effects scheduled before they existed. */
      documentNo?: string | null;
      contactPerson?: string | null;
      contactPhone?: string | null;
      by: string | null;
    }
  | { kind: 'sign_off'; unitId: string; round: number; by: string | null }
  | { kind: 'send'; unitId: string; round: number; reply: 'reply' | 'opinion' }
  | { kind: 'rate'; id: string; round: number; rating: string; comment: string | null; by: string | null }
  | { kind: 'round'; round: number }
  | { kind: 'consultation'; summary: string }
  | {
      kind: 'request';
      id: string;
      unitId: string;
      round: number;
      request: 'reassignment' | 'extension';
      reason: string;
      requested: Record<string, unknown> | null;
      by: string | null;
    }
  | {
      kind: 'decide';
      unitId: string;
      round: number;
      approved: boolean;
      note: string | null;
      by: string | null;
    }
  | { kind: 'deadline'; unitId: string; round: number; deadlineAt: string }
  | { kind: 'overdue'; unitId: string; round: number }
  | { kind: 'urge'; id: string; unitId: string | null; note: string; by: string | null }
  | { kind: 'key'; supervisingLeaderId: string | null }
  | { kind: 'merge'; intoSuggestionId: string }
  | {
      kind: 'reopen';
      id: string;
      unitId: string;
      round: number;
      reason: string;
      by: string | null;
      deadlineAt: string;
    }
  | { kind: 'progress'; id: string; unitId: string; period: number; summary: string; by: string | null }
  | {
      kind: 'cosigner_rate';
      id: string;
      round: number;
      deputyId: string;
      rating: string;
      comment: string | null;
      by: string | null;
    }
  | { kind: 'policy'; version: string }
  | { kind: 'confidential' }
  /** The lead's reply is in: co-handler parts of the round still open end with it (status closed). */
  | { kind: 'close_parts'; round: number }
  /**
   * The item's own clock before assignment (预审 while submitted, 交办 while accepted) reaches the
   * projection when it starts or is re-planned; only while the item is still in that status, so a late
   * write never overwrites the units' deadline that the assignment wrote.
   */
  | { kind: 'item_deadline'; status: 'submitted' | 'accepted'; deadlineAt: string };

/** The item's deadline: the latest of its replying units' deadlines in the round. */
async function refreshItemDeadline(m: EntityManager, suggestionId: string, round: number): Promise<void> {
  await m.query(
    `UPDATE suggestions SET deadline_at = (SELECT max(deadline_at) FROM assignments WHERE suggestion_id = $1 AND round = $2 AND role <> 'co') WHERE id = $1`,
    [suggestionId, round],
  );
}

/**
 * Overdue (逾期) means: an open part of the item (not replied, not re-assigned away, not closed) is past
 * its current deadline. Recomputed after every step that moves a deadline or ends a part, so an
 * extension, a re-assignment, 退回重办 or a late opinion leaves the flag true only while that holds.
 */
async function refreshOverdue(m: EntityManager, suggestionId: string): Promise<void> {
  await m.query(
    `UPDATE suggestions s SET overdue = EXISTS (
       SELECT 1 FROM assignments a WHERE a.suggestion_id = s.id
         AND a.round = (SELECT max(r.round) FROM assignments r WHERE r.suggestion_id = s.id)
         AND a.status IN ('pending', 'signed_in') AND a.deadline_at < now())
     WHERE s.id = $1`,
    [suggestionId],
  );
}

export async function runEffect(
  m: EntityManager,
  suggestionId: string,
  e: Effect,
  at: string,
): Promise<void> {
  switch (e.kind) {
    case 'assign':
      for (const u of e.units) {
        await m.query(
          `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at, assigned_at)
           VALUES ($1,$2,$3,$4,$5,'pending',$6,$7) ON CONFLICT DO NOTHING`,
          [u.id, suggestionId, u.unitId, u.role, e.round, u.deadlineAt, at],
        );
      }
      await refreshOverdue(m, suggestionId);
      await refreshItemDeadline(m, suggestionId, e.round);
      return;
    case 'sign_in':
      await m.query(
        `UPDATE assignments SET status = 'signed_in', signed_in_at = COALESCE(signed_in_at, $4) WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3`,
        [suggestionId, e.unitId, e.round, at],
      );
      return;
    case 'contact':
      await m.query(
        `INSERT INTO contacts (id, suggestion_id, unit_id, contacted_on, form, summary, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
        [e.id, suggestionId, e.unitId, e.contactedOn, e.form, e.summary, e.by],
      );
      return;
    case 'draft':
      // A new draft replaces the unsent one and clears its sign-off.
      await m.query(
        `INSERT INTO replies (id, suggestion_id, unit_id, round, kind, category, body, promised_date, explanation, drafted_by, document_no, contact_person, contact_phone)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
         ON CONFLICT (suggestion_id, unit_id, round, kind) DO UPDATE SET category = EXCLUDED.category, body = EXCLUDED.body,
           promised_date = EXCLUDED.promised_date, explanation = EXCLUDED.explanation, drafted_by = EXCLUDED.drafted_by,
           document_no = EXCLUDED.document_no, contact_person = EXCLUDED.contact_person, contact_phone = EXCLUDED.contact_phone,
           signed_by = NULL, signed_at = NULL
         WHERE replies.sent_at IS NULL`,
        [
          e.id,
          suggestionId,
          e.unitId,
          e.round,
          e.reply,
          e.category,
          e.body,
          e.promisedDate,
          e.explanation,
          e.by,
          e.documentNo ?? null,
          e.contactPerson ?? null,
          e.contactPhone ?? null,
        ],
      );
      return;
    case 'sign_off':
      await m.query(
        `UPDATE replies SET signed_by = $4, signed_at = $5 WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3 AND kind = 'reply'`,
        [suggestionId, e.unitId, e.round, e.by, at],
      );
      return;
    case 'send':
      await m.query(
        `UPDATE replies SET sent_at = COALESCE(sent_at, $5) WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3 AND kind = $4`,
        [suggestionId, e.unitId, e.round, e.reply, at],
      );
      await m.query(
        `UPDATE assignments SET status = $4, ended_at = COALESCE(ended_at, $5) WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3`,
        [suggestionId, e.unitId, e.round, e.reply === 'reply' ? 'replied' : 'opinion_sent', at],
      );
      await refreshOverdue(m, suggestionId);
      return;
    case 'rate':
      await m.query(
        `INSERT INTO evaluations (id, suggestion_id, round, rating, comment, rated_by) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
        [e.id, suggestionId, e.round, e.rating, e.comment, e.by],
      );
      return;
    case 'round':
      await m.query(`UPDATE suggestions SET round = $2 WHERE id = $1`, [suggestionId, e.round]);
      return;
    case 'consultation':
      await m.query(`UPDATE suggestions SET consultation_summary = $2 WHERE id = $1`, [
        suggestionId,
        e.summary,
      ]);
      return;
    case 'request':
      await m.query(
        `INSERT INTO unit_requests (id, suggestion_id, unit_id, round, kind, reason, requested, requested_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`,
        [
          e.id,
          suggestionId,
          e.unitId,
          e.round,
          e.request,
          e.reason,
          e.requested ? JSON.stringify(e.requested) : null,
          e.by,
        ],
      );
      return;
    case 'decide':
      await m.query(
        `UPDATE unit_requests SET status = $4, decided_by = $5, decision_note = $6, decided_at = $7
         WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3 AND status = 'pending'`,
        [suggestionId, e.unitId, e.round, e.approved ? 'approved' : 'refused', e.by, e.note, at],
      );
      if (e.approved)
        await m.query(
          `UPDATE assignments SET status = 'reassigned', ended_at = COALESCE(ended_at, $4) WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3 AND EXISTS (SELECT 1 FROM unit_requests r WHERE r.suggestion_id = $1 AND r.unit_id = $2 AND r.round = $3 AND r.kind = 'reassignment' AND r.status = 'approved')`,
          [suggestionId, e.unitId, e.round, at],
        );
      await refreshOverdue(m, suggestionId);
      return;
    case 'deadline':
      await m.query(
        `UPDATE assignments SET deadline_at = $4 WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3`,
        [suggestionId, e.unitId, e.round, e.deadlineAt],
      );
      await refreshItemDeadline(m, suggestionId, e.round);
      await refreshOverdue(m, suggestionId);
      return;
    case 'overdue':
      await m.query(`UPDATE suggestions SET overdue = true WHERE id = $1`, [suggestionId]);
      return;
    case 'urge':
      await m.query(
        `INSERT INTO urges (id, suggestion_id, unit_id, note, urged_by) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
        [e.id, suggestionId, e.unitId, e.note, e.by],
      );
      return;
    case 'key':
      await m.query(
        `UPDATE suggestions SET key_supervision = true, supervising_leader_id = $2 WHERE id = $1`,
        [suggestionId, e.supervisingLeaderId],
      );
      return;
    case 'merge':
      await m.query(`UPDATE suggestions SET merged_into_id = $2 WHERE id = $1`, [
        suggestionId,
        e.intoSuggestionId,
      ]);
      // The merged item's lead deputy and co-signers become co-signers of the surviving item.
      await m.query(
        `INSERT INTO suggestion_cosigners (suggestion_id, deputy_id)
         SELECT $2, d FROM (SELECT lead_deputy_id AS d FROM suggestions WHERE id = $1
                            UNION SELECT deputy_id FROM suggestion_cosigners WHERE suggestion_id = $1) x
         WHERE d <> (SELECT lead_deputy_id FROM suggestions WHERE id = $2)
         ON CONFLICT DO NOTHING`,
        [suggestionId, e.intoSuggestionId],
      );
      return;
    case 'reopen':
      // 退回重办: keep what was sent and why it came back, then reopen the reply for a new draft and sign-off.
      await m.query(
        `INSERT INTO reply_returns (id, suggestion_id, unit_id, round, reason, previous_category, previous_body, returned_by)
         SELECT $1, $2, $3, $4, $5, r.category, r.body, $6 FROM (SELECT 1) one
         LEFT JOIN replies r ON r.suggestion_id = $2 AND r.unit_id = $3 AND r.round = $4 AND r.kind = 'reply'
         ON CONFLICT DO NOTHING`,
        [e.id, suggestionId, e.unitId, e.round, e.reason, e.by],
      );
      await m.query(
        `UPDATE replies SET sent_at = NULL, signed_by = NULL, signed_at = NULL WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3 AND kind = 'reply'`,
        [suggestionId, e.unitId, e.round],
      );
      await m.query(
        `UPDATE assignments SET status = 'signed_in', deadline_at = $4, ended_at = NULL WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3`,
        [suggestionId, e.unitId, e.round, e.deadlineAt],
      );
      await refreshItemDeadline(m, suggestionId, e.round);
      await refreshOverdue(m, suggestionId);
      return;
    case 'progress':
      await m.query(
        `INSERT INTO progress_reports (id, suggestion_id, unit_id, period, summary, reported_by) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
        [e.id, suggestionId, e.unitId, e.period, e.summary, e.by],
      );
      return;
    case 'cosigner_rate':
      await m.query(
        `INSERT INTO cosigner_evaluations (id, suggestion_id, round, deputy_id, rating, comment, rated_by) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
        [e.id, suggestionId, e.round, e.deputyId, e.rating, e.comment, e.by],
      );
      return;
    case 'confidential':
      await m.query(`UPDATE suggestions SET confidential = true WHERE id = $1`, [suggestionId]);
      return;
    case 'close_parts':
      await m.query(
        `UPDATE assignments SET status = 'closed', ended_at = COALESCE(ended_at, $3)
         WHERE suggestion_id = $1 AND round = $2 AND role = 'co' AND status IN ('pending', 'signed_in')`,
        [suggestionId, e.round, at],
      );
      await refreshOverdue(m, suggestionId);
      return;
    case 'policy':
      await m.query(`UPDATE suggestions SET policy_version = $2 WHERE id = $1`, [suggestionId, e.version]);
      return;
    case 'item_deadline':
      await m.query(`UPDATE suggestions SET deadline_at = $3 WHERE id = $1 AND status = $2`, [
        suggestionId,
        e.status,
        e.deadlineAt,
      ]);
      return;
    default: {
      const never: never = e;
      throw new Error(`unknown effect ${JSON.stringify(never)}`);
    }
  }
}
