/**
 * The item as the rules module (@jianyi/domain `decide()`) sees it, read from the projections, and
 * the steps the current user may take on it now (`allowedActions` of GET /api/suggestions/:id and of
 * the timeline). The workflow's validators remain the authority when a step is taken; the projection
 * may lag a step in flight by a moment, in which case the step is refused with the same reason.
 */
import type { DataSource } from 'typeorm';
import {
  allowedActions,
  type ItemFacts,
  type PartFacts,
  type RuleAction,
  type SuggestionStatus,
} from '@jianyi/domain';
import type { SessionUser } from '@jianyi/platform';

interface ItemRow {
  id: string;
  status: string;
  leadDeputyId: string;
}

export async function itemFactsFor(ds: DataSource, user: SessionUser, s: ItemRow): Promise<ItemFacts> {
  const [[row], assignments, evaluations, cosigners, pending, followUps, cosignerRated] = await Promise.all([
    ds.query(
      `SELECT s.round, s.key_supervision AS "keySupervision", s.confidential, s.consultation_summary AS "consultationSummary",
         s.excellent
       FROM suggestions s WHERE s.id = $1`,
      [s.id],
    ) as Promise<
      {
        round: number;
        keySupervision: boolean;
        confidential: boolean;
        consultationSummary: string | null;
        excellent: boolean;
      }[]
    >,
    ds.query(
      `SELECT a.unit_id AS "unitId", a.role, a.round, a.status, a.signed_in_at AS "signedInAt",
          (SELECT count(*)::int FROM contacts c WHERE c.suggestion_id = a.suggestion_id AND c.unit_id = a.unit_id) AS contacts,
          r.id IS NOT NULL AS "hasDraft", r.signed_at IS NOT NULL AS "signedOff"
       FROM assignments a
       LEFT JOIN replies r ON r.suggestion_id = a.suggestion_id AND r.unit_id = a.unit_id AND r.round = a.round
         AND r.kind = 'reply' AND r.sent_at IS NULL
       WHERE a.suggestion_id = $1 ORDER BY a.round`,
      [s.id],
    ) as Promise<
      {
        unitId: string;
        role: 'lead' | 'co' | 'separate';
        round: number;
        status: string;
        signedInAt: Date | null;
        contacts: number;
        hasDraft: boolean;
        signedOff: boolean;
      }[]
    >,
    ds.query(`SELECT round, rating FROM evaluations WHERE suggestion_id = $1`, [s.id]) as Promise<
      { round: number; rating: string }[]
    >,
    ds.query(`SELECT deputy_id AS "deputyId" FROM suggestion_cosigners WHERE suggestion_id = $1`, [
      s.id,
    ]) as Promise<{ deputyId: string }[]>,
    ds.query(
      `SELECT unit_id AS "unitId", round FROM unit_requests WHERE suggestion_id = $1 AND status = 'pending'`,
      [s.id],
    ) as Promise<{ unitId: string; round: number }[]>,
    // 跟踪办理: B/C replies with a promised date, open until the unit's final report.
    ds.query(
      `SELECT r.unit_id AS "unitId" FROM replies r
       WHERE r.suggestion_id = $1 AND r.kind = 'reply' AND r.sent_at IS NOT NULL AND r.category IN ('B', 'C')
         AND r.promised_date IS NOT NULL AND r.round = (SELECT max(round) FROM replies x WHERE x.suggestion_id = $1 AND x.kind = 'reply')
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = $1 AND o.type = 'suggestion.follow_up_reported'
           AND o.payload->'data'->>'unitId' = r.unit_id::text AND o.payload->'data'->>'final' = 'true')`,
      [s.id],
    ) as Promise<{ unitId: string }[]>,
    ds.query(
      `SELECT 1 FROM cosigner_evaluations e JOIN suggestions s ON s.id = e.suggestion_id
       WHERE e.suggestion_id = $1 AND e.round = s.round AND e.deputy_id = $2`,
      [s.id, user.deputyId ?? null],
    ) as Promise<unknown[]>,
  ]);
  const round = row?.round ?? 1;
  const latest = Math.max(0, ...assignments.map((a) => a.round));
  const current = assignments.filter((a) => a.round === latest && a.status !== 'reassigned');
  const open = (status: string) => status === 'pending' || status === 'signed_in';
  const rating = evaluations.find((e) => e.round === round)?.rating;
  const mine = user.unitId ? current.find((a) => a.unitId === user.unitId) : undefined;
  const part: PartFacts | null = mine
    ? {
        unitId: mine.unitId,
        role: mine.role,
        signedIn: mine.signedInAt !== null || mine.status === 'signed_in',
        done: !open(mine.status),
        closed: mine.status === 'closed',
        hasDraft: mine.hasDraft,
        signedOff: mine.signedOff,
        contacts: mine.contacts,
        pendingRequest: pending.some((p) => p.unitId === mine.unitId && p.round === mine.round),
      }
    : null;
  const status = s.status as SuggestionStatus;
  return {
    status,
    isLeadDeputy: user.role === 'deputy' && !!user.deputyId && user.deputyId === s.leadDeputyId,
    isCosigner: user.role === 'deputy' && cosigners.some((c) => c.deputyId === user.deputyId),
    round,
    assigned: assignments.length > 0,
    keySupervision: row?.keySupervision ?? false,
    publicationWithheld: row?.confidential ?? false,
    excellent: row?.excellent ?? false,
    ratedThisRound: rating !== undefined,
    cosignerRatedThisRound: cosignerRated.length > 0,
    awaitingConsultation: round >= 2 && rating === 'unsatisfied' && !row?.consultationSummary,
    replyReturnPending: false,
    handlingUnitIds: current.map((a) => a.unitId),
    replyingUnitIds: current.filter((a) => a.role !== 'co').map((a) => a.unitId),
    pendingRequest: pending.length > 0,
    followUpUnitIds: followUps.map((f) => f.unitId),
    progressOpen: (row?.keySupervision ?? false) && ['assigned', 'handling', 'rehandling'].includes(status),
    progressReportedUnitIds: [],
    part,
  };
}

/** The steps this user may take on the item now, by the rules module. */
export async function allowedActionsFor(
  ds: DataSource,
  user: SessionUser,
  s: ItemRow,
): Promise<RuleAction[]> {
  const facts = await itemFactsFor(ds, user, s);
  return allowedActions(
    {
      role: user.role,
      userId: user.id,
      unitId: user.unitId,
      deputyId: user.deputyId,
      principal: user.principal,
    },
    facts,
  );
}
