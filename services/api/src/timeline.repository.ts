/**
 * The records of one suggestion's 办理轨迹 (timeline): outbox events, assignments, contacts, replies
 * and opinions (under the one record rule), evaluations, unit requests, returns, progress reports and
 * the submitted versions. The caller has already checked that the item is visible.
 */
import type { DataSource } from 'typeorm';
import { recordVisibleSql, type SessionUser } from '@jianyi/platform';

export interface TimelineItemExtra {
  keySupervision: boolean;
  round: number;
  deadlineAt: Date | null;
  policyVersion: string | null;
  consultationSummary: string | null;
  mergedIntoId: string | null;
  topic: string;
}

export interface TimelineEventRow {
  seq: string;
  eventId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface TimelineAssignmentRow {
  unitId: string;
  unitName: string;
  role: string;
  round: number;
  status: string;
  deadlineAt: Date | null;
  signedInAt: Date | null;
  assignedAt: Date;
  endedAt: Date | null;
}

export interface TimelineVersionRow {
  version: number;
  title: string;
  content: string;
  cosignerDeputyIds: string[];
  cosignerNames: string[];
  submittedAt: Date;
}

export class TimelineRepository {
  constructor(private ds: DataSource) {}

  /** Every record of item `id` the caller may read; a deputy does not see a returned reply's old text. */
  async records(user: SessionUser, id: string) {
    const ds = this.ds;
    const deputyView = user.role === 'deputy';
    // Replies, opinions and steps under the one record rule (@jianyi/platform visibility).
    const replyParams: unknown[] = [id];
    const replyRule = recordVisibleSql(user, replyParams, 'r');

    const [[extra], cosigners, events, assignments, contacts, replies, evaluations, requests] =
      await Promise.all([
        ds.query(
          `SELECT s.key_supervision AS "keySupervision", s.round, s.deadline_at AS "deadlineAt", s.policy_version AS "policyVersion",
          s.consultation_summary AS "consultationSummary", s.merged_into_id AS "mergedIntoId", s.topic
        FROM suggestions s WHERE s.id = $1`,
          [id],
        ) as Promise<TimelineItemExtra[]>,
        ds.query(
          `SELECT d.id, d.name FROM suggestion_cosigners c JOIN deputies d ON d.id = c.deputy_id WHERE c.suggestion_id = $1 ORDER BY c.created_at, d.name`,
          [id],
        ) as Promise<{ id: string; name: string }[]>,
        ds.query(
          `SELECT o.id::text AS seq, o.event_id AS "eventId", o.type, o.payload, o.created_at AS "createdAt"
        FROM outbox o WHERE o.aggregate_id = $1 ORDER BY o.id`,
          [id],
        ) as Promise<TimelineEventRow[]>,
        ds.query(
          `SELECT a.unit_id AS "unitId", u.name AS "unitName", a.role, a.round, a.status, a.deadline_at AS "deadlineAt", a.signed_in_at AS "signedInAt", a.assigned_at AS "assignedAt", a.ended_at AS "endedAt"
        FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.suggestion_id = $1 ORDER BY a.round, a.role DESC, u.code`,
          [id],
        ) as Promise<TimelineAssignmentRow[]>,
        ds.query(
          `SELECT c.id, c.unit_id AS "unitId", u.name AS "unitName", c.contacted_on::text AS "contactedOn", c.form, c.summary, c.created_at AS "createdAt", us.display_name AS "createdByName"
        FROM contacts c JOIN units u ON u.id = c.unit_id LEFT JOIN users us ON us.id = c.created_by WHERE c.suggestion_id = $1 ORDER BY c.contacted_on, c.created_at`,
          [id],
        ) as Promise<Record<string, unknown>[]>,
        ds.query(
          `SELECT r.id, r.unit_id AS "unitId", u.name AS "unitName", r.round, r.kind, r.category, r.body, r.promised_date::text AS "promisedDate", r.explanation,
          r.created_at AS "createdAt", r.signed_at AS "signedAt", sb.display_name AS "signedByName", r.sent_at AS "sentAt", db.display_name AS "draftedByName",
          r.document_no AS "documentNo", r.contact_person AS "contactPerson", r.contact_phone AS "contactPhone"
        FROM replies r JOIN units u ON u.id = r.unit_id LEFT JOIN users sb ON sb.id = r.signed_by LEFT JOIN users db ON db.id = r.drafted_by
        WHERE r.suggestion_id = $1 AND ${replyRule} ORDER BY r.round, r.kind DESC, r.created_at`,
          replyParams,
        ) as Promise<Record<string, unknown>[]>,
        ds.query(
          `SELECT e.round, e.rating, e.comment, e.created_at AS "createdAt", us.display_name AS "ratedByName"
        FROM evaluations e LEFT JOIN users us ON us.id = e.rated_by WHERE e.suggestion_id = $1 ORDER BY e.round`,
          [id],
        ) as Promise<Record<string, unknown>[]>,
        ds.query(
          `SELECT q.id, q.unit_id AS "unitId", u.name AS "unitName", q.round, q.kind, q.reason, q.requested, q.status, q.decision_note AS "decisionNote",
          q.decided_at AS "decidedAt", q.created_at AS "createdAt", rb.display_name AS "requestedByName", dbu.display_name AS "decidedByName"
        FROM unit_requests q JOIN units u ON u.id = q.unit_id LEFT JOIN users rb ON rb.id = q.requested_by LEFT JOIN users dbu ON dbu.id = q.decided_by
        WHERE q.suggestion_id = $1 ORDER BY q.created_at`,
          [id],
        ) as Promise<Record<string, unknown>[]>,
      ]);

    // 联名代表's ratings, replies sent back (退回重办), key-item progress reports (重点督办) and the
    // versions the reviewer saw at each submission (退回修改).
    const [cosignerEvaluations, replyReturns, progressReports, versions] = await Promise.all([
      ds.query(
        `SELECT e.round, d.name AS "deputyName", e.rating, e.comment, e.created_at AS "createdAt"
        FROM cosigner_evaluations e JOIN deputies d ON d.id = e.deputy_id WHERE e.suggestion_id = $1 ORDER BY e.round, e.created_at`,
        [id],
      ) as Promise<Record<string, unknown>[]>,
      ds.query(
        `SELECT x.round, u.name AS "unitName", x.reason, x.previous_category AS "previousCategory", ${deputyView ? 'NULL' : 'x.previous_body'} AS "previousBody",
          x.created_at AS "createdAt", us.display_name AS "returnedByName"
        FROM reply_returns x JOIN units u ON u.id = x.unit_id LEFT JOIN users us ON us.id = x.returned_by WHERE x.suggestion_id = $1 ORDER BY x.created_at`,
        [id],
      ) as Promise<Record<string, unknown>[]>,
      ds.query(
        `SELECT p.period, u.name AS "unitName", p.summary, p.created_at AS "createdAt", us.display_name AS "reportedByName"
        FROM progress_reports p JOIN units u ON u.id = p.unit_id LEFT JOIN users us ON us.id = p.reported_by WHERE p.suggestion_id = $1 ORDER BY p.period, p.created_at`,
        [id],
      ) as Promise<Record<string, unknown>[]>,
      ds.query(
        `SELECT v.version, v.title, v.content, v.cosigner_deputy_ids::text[] AS "cosignerDeputyIds", v.created_at AS "submittedAt",
          ARRAY(SELECT d.name FROM deputies d WHERE d.id = ANY(v.cosigner_deputy_ids) ORDER BY d.name) AS "cosignerNames"
        FROM suggestion_versions v WHERE v.suggestion_id = $1 ORDER BY v.version`,
        [id],
      ) as Promise<TimelineVersionRow[]>,
    ]);
    return {
      extra,
      cosigners,
      events,
      assignments,
      contacts,
      replies,
      evaluations,
      requests,
      cosignerEvaluations,
      replyReturns,
      progressReports,
      versions,
    };
  }

  /** Names of units an event names that are not among the item's assignments (e.g. a unit re-assigned away). */
  async unitNames(ids: string[]): Promise<{ id: string; name: string }[]> {
    if (!ids.length) return [];
    return this.ds.query(`SELECT id, name FROM units WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
