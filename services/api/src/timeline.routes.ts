/**
 * 办理轨迹 (timeline) of one suggestion: every step from its outbox events, in order, with who acted
 * and when, plus the records a person reading the item needs beside the steps (contacts, co-handler
 * opinions, replies, evaluations, unit requests) and each open deadline counted in working days.
 *
 * Same visibility as GET /api/suggestions/:id (404 when the caller may not see the item). A deputy
 * sees replies only once they are sent (a draft or an unsigned reply is the unit's own business).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import {
  chinaDateOf,
  isDeadlineProvisional,
  policyDeadline,
  type JurisdictionPolicy,
  type PolicyRegistry,
  type WorkCalendar,
} from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import {
  activeUnits,
  eventVisible,
  loadWorkCalendar,
  recordVisibleSql,
  type VisibleEvent,
} from '@jianyi/platform';
import { currentUser } from './http/auth';
import { allowedActionsFor } from './rules.facts';
import { problems } from './http/problem';
import { pathId } from './http/validate';
import { SuggestionRepository } from './suggestion.repository';

/** Yellow warning (黄牌) window when the item's policy gives none in working days (process.md default). */
const DEFAULT_YELLOW_WORKING_DAYS = 5;
/** Unit parts whose clock has stopped: the reply or opinion is in, or the unit was re-assigned away. */
const CLOSED_ASSIGNMENT = new Set(['replied', 'opinion_sent', 'reassigned', 'closed']);

export type DeadlineLevel = 'normal' | 'yellow' | 'red';

export interface TimelineDeadline {
  /** 'unit' for a unit's handling (reply, or opinion for a co-handler); 'item' for the item's own clock. */
  scope: 'unit' | 'item';
  unitId: string | null;
  unitName: string | null;
  role: string | null;
  round: number | null;
  deadlineAt: string;
  /** The last day, in China time. */
  deadlineDate: string;
  /** Working days from today to the last day (0 = due today, negative = overdue by that many). */
  workingDaysLeft: number;
  overdue: boolean;
  level: DeadlineLevel;
  /** Falls in, or is counted through, a year whose holidays are not official yet (暂按常规工作日计算). */
  provisional: boolean;
}

/** normal / yellow (the last N working days) / red (overdue), as the deadline warnings of process.md. */
export function deadlineLevel(
  cal: WorkCalendar,
  now: Date,
  deadlineAt: Date,
  yellowDays: number,
  start?: Date | null,
): Omit<TimelineDeadline, 'scope' | 'unitId' | 'unitName' | 'role' | 'round'> {
  const today = chinaDateOf(now.getTime());
  const deadlineDate = chinaDateOf(deadlineAt.getTime());
  const workingDaysLeft = cal.workingDaysLeft(today, deadlineDate);
  const overdue = deadlineAt.getTime() < now.getTime();
  const level: DeadlineLevel = overdue ? 'red' : workingDaysLeft < yellowDays ? 'yellow' : 'normal';
  const provisional = isDeadlineProvisional(cal, deadlineAt, start ?? null);
  return { deadlineAt: deadlineAt.toISOString(), deadlineDate, workingDaysLeft, overdue, level, provisional };
}

/** The yellow window (黄牌) of a policy in working days; the process.md default when it is not in working days. */
export function yellowWorkingDays(policy: JurisdictionPolicy | undefined): number {
  const y = policy?.reminders.yellowLast;
  return y && y.unit === 'working_days' ? y.amount : DEFAULT_YELLOW_WORKING_DAYS;
}

const iso = (v: Date | string | null | undefined) => (v == null ? null : new Date(v).toISOString());

export function timelineRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const repo = new SuggestionRepository(ds);
  let policies = opts.policies;

  r.get('/:id/timeline', async (req, res) => {
    const user = currentUser(req);
    const id = pathId(req.params.id, 'suggestion');
    const s = await repo.findVisible(user, id);
    if (!s) throw problems.notFound('suggestion');
    const deputyView = user.role === 'deputy';
    // Replies, opinions and steps under the one record rule (@jianyi/platform visibility).
    const replyParams: unknown[] = [id];
    const replyRule = recordVisibleSql(user, replyParams, 'r');

    const [[extra], cosigners, events, assignments, contacts, replies, evaluations, requests, cal] =
      await Promise.all([
        ds.query(
          `SELECT s.key_supervision AS "keySupervision", s.round, s.deadline_at AS "deadlineAt", s.policy_version AS "policyVersion",
          s.consultation_summary AS "consultationSummary", s.merged_into_id AS "mergedIntoId", s.topic
        FROM suggestions s WHERE s.id = $1`,
          [id],
        ) as Promise<
          {
            keySupervision: boolean;
            round: number;
            deadlineAt: Date | null;
            policyVersion: string | null;
            consultationSummary: string | null;
            mergedIntoId: string | null;
            topic: string;
          }[]
        >,
        ds.query(
          `SELECT d.id, d.name FROM suggestion_cosigners c JOIN deputies d ON d.id = c.deputy_id WHERE c.suggestion_id = $1 ORDER BY c.created_at, d.name`,
          [id],
        ),
        ds.query(
          `SELECT o.id::text AS seq, o.event_id AS "eventId", o.type, o.payload, o.created_at AS "createdAt"
        FROM outbox o WHERE o.aggregate_id = $1 ORDER BY o.id`,
          [id],
        ) as Promise<
          { seq: string; eventId: string; type: string; payload: Record<string, unknown>; createdAt: Date }[]
        >,
        ds.query(
          `SELECT a.unit_id AS "unitId", u.name AS "unitName", a.role, a.round, a.status, a.deadline_at AS "deadlineAt", a.signed_in_at AS "signedInAt", a.assigned_at AS "assignedAt", a.ended_at AS "endedAt"
        FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.suggestion_id = $1 ORDER BY a.round, a.role DESC, u.code`,
          [id],
        ) as Promise<
          {
            unitId: string;
            unitName: string;
            role: string;
            round: number;
            status: string;
            deadlineAt: Date | null;
            signedInAt: Date | null;
            assignedAt: Date;
            endedAt: Date | null;
          }[]
        >,
        ds.query(
          `SELECT c.id, c.unit_id AS "unitId", u.name AS "unitName", c.contacted_on::text AS "contactedOn", c.form, c.summary, c.created_at AS "createdAt", us.display_name AS "createdByName"
        FROM contacts c JOIN units u ON u.id = c.unit_id LEFT JOIN users us ON us.id = c.created_by WHERE c.suggestion_id = $1 ORDER BY c.contacted_on, c.created_at`,
          [id],
        ),
        ds.query(
          `SELECT r.id, r.unit_id AS "unitId", u.name AS "unitName", r.round, r.kind, r.category, r.body, r.promised_date::text AS "promisedDate", r.explanation,
          r.created_at AS "createdAt", r.signed_at AS "signedAt", sb.display_name AS "signedByName", r.sent_at AS "sentAt", db.display_name AS "draftedByName"
        FROM replies r JOIN units u ON u.id = r.unit_id LEFT JOIN users sb ON sb.id = r.signed_by LEFT JOIN users db ON db.id = r.drafted_by
        WHERE r.suggestion_id = $1 AND ${replyRule} ORDER BY r.round, r.kind DESC, r.created_at`,
          replyParams,
        ) as Promise<Record<string, unknown>[]>,
        ds.query(
          `SELECT e.round, e.rating, e.comment, e.created_at AS "createdAt", us.display_name AS "ratedByName"
        FROM evaluations e LEFT JOIN users us ON us.id = e.rated_by WHERE e.suggestion_id = $1 ORDER BY e.round`,
          [id],
        ),
        ds.query(
          `SELECT q.id, q.unit_id AS "unitId", u.name AS "unitName", q.round, q.kind, q.reason, q.requested, q.status, q.decision_note AS "decisionNote",
          q.decided_at AS "decidedAt", q.created_at AS "createdAt", rb.display_name AS "requestedByName", dbu.display_name AS "decidedByName"
        FROM unit_requests q JOIN units u ON u.id = q.unit_id LEFT JOIN users rb ON rb.id = q.requested_by LEFT JOIN users dbu ON dbu.id = q.decided_by
        WHERE q.suggestion_id = $1 ORDER BY q.created_at`,
          [id],
        ),
        loadWorkCalendar(ds),
      ]);

    // 联名代表's ratings, replies sent back (退回重办), key-item progress reports (重点督办) and the
    // versions the reviewer saw at each submission (退回修改).
    const [cosignerEvaluations, replyReturns, progressReports, versionRows] = await Promise.all([
      ds.query(
        `SELECT e.round, d.name AS "deputyName", e.rating, e.comment, e.created_at AS "createdAt"
        FROM cosigner_evaluations e JOIN deputies d ON d.id = e.deputy_id WHERE e.suggestion_id = $1 ORDER BY e.round, e.created_at`,
        [id],
      ),
      ds.query(
        `SELECT x.round, u.name AS "unitName", x.reason, x.previous_category AS "previousCategory", ${deputyView ? 'NULL' : 'x.previous_body'} AS "previousBody",
          x.created_at AS "createdAt", us.display_name AS "returnedByName"
        FROM reply_returns x JOIN units u ON u.id = x.unit_id LEFT JOIN users us ON us.id = x.returned_by WHERE x.suggestion_id = $1 ORDER BY x.created_at`,
        [id],
      ),
      ds.query(
        `SELECT p.period, u.name AS "unitName", p.summary, p.created_at AS "createdAt", us.display_name AS "reportedByName"
        FROM progress_reports p JOIN units u ON u.id = p.unit_id LEFT JOIN users us ON us.id = p.reported_by WHERE p.suggestion_id = $1 ORDER BY p.period, p.created_at`,
        [id],
      ),
      ds.query(
        `SELECT v.version, v.title, v.content, v.cosigner_deputy_ids::text[] AS "cosignerDeputyIds", v.created_at AS "submittedAt",
          ARRAY(SELECT d.name FROM deputies d WHERE d.id = ANY(v.cosigner_deputy_ids) ORDER BY d.name) AS "cosignerNames"
        FROM suggestion_versions v WHERE v.suggestion_id = $1 ORDER BY v.version`,
        [id],
      ) as Promise<
        {
          version: number;
          title: string;
          content: string;
          cosignerDeputyIds: string[];
          cosignerNames: string[];
          submittedAt: Date;
        }[]
      >,
    ]);
    // What changed from the version before (the first submission changed nothing).
    const versions = versionRows.map((v, i) => {
      const prev = versionRows[i - 1];
      const changed: ('title' | 'content' | 'cosigners')[] = [];
      if (prev) {
        if (prev.title !== v.title) changed.push('title');
        if (prev.content !== v.content) changed.push('content');
        if ([...prev.cosignerDeputyIds].sort().join() !== [...v.cosignerDeputyIds].sort().join())
          changed.push('cosigners');
      }
      return { ...v, submittedAt: iso(v.submittedAt), changed };
    });

    const unitNames = new Map<string, string>(assignments.map((a) => [a.unitId, a.unitName]));
    const missingUnits = [
      ...new Set(
        events.flatMap((e) => {
          const d = (e.payload.data ?? {}) as Record<string, unknown>;
          return [d.unitId, d.newUnitId].filter(
            (u): u is string => typeof u === 'string' && !unitNames.has(u),
          );
        }),
      ),
    ];
    if (missingUnits.length) {
      const rows: { id: string; name: string }[] = await ds.query(
        `SELECT id, name FROM units WHERE id = ANY($1::uuid[])`,
        [missingUnits],
      );
      for (const u of rows) unitNames.set(u.id, u.name);
    }

    const parts = (await activeUnits(ds, [id])).get(id) ?? [];
    const visibleEvents = events.filter((e) =>
      eventVisible(user, e.payload as unknown as VisibleEvent, parts),
    );
    const steps = visibleEvents.map((e) => {
      const p = e.payload as {
        occurredAt?: string;
        actor?: { userId?: string | null; role?: string | null; name?: string; unitId?: string | null };
        data?: Record<string, unknown>;
      };
      // The audience is for consumers' filtering, not for people.
      const details = { ...(p.data ?? {}) };
      delete details.audience;
      const unitId = typeof details.unitId === 'string' ? details.unitId : null;
      return {
        seq: Number(e.seq),
        eventId: e.eventId,
        type: e.type,
        occurredAt: p.occurredAt ?? iso(e.createdAt),
        actor: { userId: p.actor?.userId ?? null, name: p.actor?.name ?? null, role: p.actor?.role ?? null },
        unitId,
        unitName: unitId ? (unitNames.get(unitId) ?? null) : null,
        from: typeof details.from === 'string' ? details.from : null,
        to: typeof details.to === 'string' ? details.to : null,
        details,
      };
    });

    policies ??= loadPolicyRegistry();
    const yellowDays = yellowWorkingDays(
      extra?.policyVersion ? policies.find(extra.policyVersion) : undefined,
    );
    const now = new Date();
    const latestRound = Math.max(0, ...assignments.map((a) => a.round));
    const deadlines: TimelineDeadline[] = assignments
      .filter((a) => a.round === latestRound && a.deadlineAt && !CLOSED_ASSIGNMENT.has(a.status))
      .map((a) => ({
        scope: 'unit' as const,
        unitId: a.unitId,
        unitName: a.unitName,
        role: a.role,
        round: a.round,
        ...deadlineLevel(
          cal,
          now,
          new Date(a.deadlineAt!),
          yellowDays,
          a.assignedAt ? new Date(a.assignedAt) : null,
        ),
      }));
    if (
      extra?.deadlineAt &&
      !['published', 'closed', 'rejected', 'converted', 'merged', 'withdrawn'].includes(s.status)
    ) {
      deadlines.unshift({
        scope: 'item',
        unitId: null,
        unitName: null,
        role: null,
        round: extra.round,
        ...deadlineLevel(
          cal,
          now,
          new Date(extra.deadlineAt),
          yellowDays,
          assignments
            .filter((a) => a.round === extra.round && a.assignedAt)
            .map((a) => new Date(a.assignedAt!))
            .sort((x, y) => x.getTime() - y.getTime())[0] ?? null,
        ),
      });
    }

    // 满意度测评: while the reply waits for the lead deputy's rating, the window (policy, from the reply)
    // is shown to the deputy (and everyone who reads the item); no answer by then is 未反馈.
    let evaluationDeadline: (ReturnType<typeof deadlineLevel> & { round: number }) | null = null;
    const round = extra?.round ?? 1;
    const lastReplied = [...events].reverse().find((e) => e.type === 'suggestion.replied');
    // The item's policy as the reply event carries it (every event names the policy it was made under).
    const policyKey =
      (lastReplied?.payload as { policyVersion?: string } | undefined)?.policyVersion ?? extra?.policyVersion;
    const evaluationPolicy = policyKey ? policies.find(policyKey) : undefined;
    if (
      s.status === 'replied' &&
      evaluationPolicy &&
      lastReplied &&
      !evaluations.some((e: { round: number }) => e.round === round)
    ) {
      const from = new Date(
        (lastReplied.payload as { occurredAt?: string }).occurredAt ?? lastReplied.createdAt,
      );
      const at = policyDeadline(cal, evaluationPolicy, 'evaluation', from.getTime());
      evaluationDeadline = { round, ...deadlineLevel(cal, now, new Date(at), yellowDays, from) };
    }

    const byKind = (kind: string) =>
      replies
        .filter((x) => x.kind === kind)
        .map((x) => {
          const rest = { ...x };
          delete rest.kind;
          return rest;
        });
    res.json({
      suggestion: {
        ...s,
        topic: extra?.topic ?? '',
        keySupervision: extra?.keySupervision ?? false,
        round: extra?.round ?? 1,
        mergedIntoId: extra?.mergedIntoId ?? null,
        consultationSummary: extra?.consultationSummary ?? null,
        cosigners,
        allowedActions: await allowedActionsFor(ds, user, s),
      },
      today: chinaDateOf(now.getTime()),
      steps,
      assignments: assignments.map((a) => ({
        ...a,
        deadlineProvisional: isDeadlineProvisional(cal, a.deadlineAt, a.assignedAt),
        deadlineAt: iso(a.deadlineAt),
        signedInAt: iso(a.signedInAt),
        assignedAt: iso(a.assignedAt),
        endedAt: iso(a.endedAt),
      })),
      deadlines,
      evaluationDeadline,
      contacts,
      opinions: byKind('opinion'),
      replies: byKind('reply'),
      evaluations,
      requests,
      cosignerEvaluations,
      replyReturns,
      progressReports,
      versions,
    });
  });
  return r;
}
