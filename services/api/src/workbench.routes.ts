/**
 * Look-ups the role workbenches need beside the suggestion routes: the handling units (for
 * assignment), the deputies (for choosing co-signers, 联名) and the units' requests (申请调整 /
 * 申请延期) waiting for a decision. Mounted at /api.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { chinaDateOf, isDeadlineProvisional, policyDeadline, type PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { loadWorkCalendar, policyInForce } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { deadlineLevel, yellowWorkingDays } from './timeline.routes';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { unitInboxQuery, unitRequestListQuery } from './contracts/workbench';
import { highlightRow, searchSql } from './search';

const ALL_ITEMS_ROLES = ['reviewer', 'coordinator', 'supervisor', 'admin'];
export function workbenchRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  let policies = opts.policies;

  /**
   * 交办 preview: the deadlines an assignment made now would get under the policy new items enter
   * with (as submit chooses it), counted on the working-day calendar: the re-assignment request
   * window, the co-handlers' opinion and the reply.
   */
  r.get('/deadline-preview', async (req, res) => {
    const user = currentUser(req);
    if (!['reviewer', 'coordinator'].includes(user.role))
      throw problems.forbidden('only the reviewer or coordinator assigns');
    policies ??= loadPolicyRegistry();
    const key = process.env.JIANYI_POLICY_VERSION ?? (await policyInForce(ds)).policyKey;
    const policy = policies.get(key);
    const cal = await loadWorkCalendar(ds);
    const now = Date.now();
    const today = chinaDateOf(now);
    const one = (name: 'reassignmentRequest' | 'coHandlerOpinion' | 'reply') => {
      const deadlineAt = policyDeadline(cal, policy, name, now);
      const deadlineDate = chinaDateOf(deadlineAt);
      return {
        deadlineAt,
        deadlineDate,
        workingDays: cal.workingDaysLeft(today, deadlineDate),
        duration: policy.deadlines[name],
        provisional: isDeadlineProvisional(cal, deadlineAt, now),
      };
    };
    res.json({
      policyKey: key,
      from: new Date(now).toISOString(),
      today,
      reassignmentRequest: one('reassignmentRequest'),
      coHandlerOpinion: one('coHandlerOpinion'),
      reply: one('reply'),
    });
  });

  /**
   * 收件箱: the caller's unit's parts of the latest round of each item, with the unit's own status
   * and deadline in working days, newest first. Unit handlers and leaders only.
   */
  r.get('/unit-inbox', async (req, res) => {
    const user = currentUser(req);
    if (!['unit_handler', 'unit_leader'].includes(user.role) || !user.unitId)
      throw problems.forbidden("only a unit's people have an inbox");
    const inboxQ = validate(unitInboxQuery, req.query);
    const params: unknown[] = [user.unitId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const search = inboxQ.q ? searchSql(inboxQ.q, p) : null;
    const rows: {
      title: string;
      content?: string;
      deadlineAt: Date | null;
      assignmentStatus: string;
      policyVersion?: string | null;
    }[] = await ds.query(
      `SELECT s.id, s.title, s.content, s.policy_version AS "policyVersion", s.status, s.registration_no AS "registrationNo", d.name AS "leadDeputyName", s.key_supervision AS "keySupervision",
         a.role, a.round, a.status AS "assignmentStatus", a.assigned_at AS "assignedAt", a.signed_in_at AS "signedInAt", a.deadline_at AS "deadlineAt",
         EXISTS (SELECT 1 FROM unit_requests q WHERE q.suggestion_id = s.id AND q.unit_id = a.unit_id AND q.round = a.round AND q.status = 'pending') AS "requestPending"
       FROM assignments a JOIN suggestions s ON s.id = a.suggestion_id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
       WHERE a.unit_id = $1 AND a.round = (SELECT max(r2.round) FROM assignments r2 WHERE r2.suggestion_id = a.suggestion_id AND r2.unit_id = a.unit_id)
       ${search ? `AND ${search.where}` : ''}
       ORDER BY ${search?.rank ? `${search.rank} DESC, ` : ''}a.assigned_at DESC LIMIT 500`,
      params,
    );
    const cal = await loadWorkCalendar(ds);
    policies ??= loadPolicyRegistry();
    const registry = policies;
    const now = new Date();
    const items = rows.map(({ policyVersion, content, ...row }) => ({
      ...row,
      ...(search
        ? { highlight: highlightRow({ title: row.title, content: content ?? '' }, search.parsed) }
        : {}),
      deadline:
        row.deadlineAt && !['replied', 'opinion_sent', 'reassigned', 'closed'].includes(row.assignmentStatus)
          ? deadlineLevel(
              cal,
              now,
              new Date(row.deadlineAt),
              yellowWorkingDays(policyVersion ? registry.find(policyVersion) : undefined),
              (row as { assignedAt?: Date | null }).assignedAt ?? null,
            )
          : null,
    }));
    res.json({ items, total: items.length });
  });

  /** Units are public bodies; every signed-in user may list their names. */
  r.get('/directory/units', async (_req, res) => {
    const items = await ds.query(`SELECT id, code, name FROM units WHERE active ORDER BY code`);
    res.json({ items });
  });

  /** Deputies by name and town (public facts about them), for the co-signer picker. */
  r.get('/directory/deputies', async (req, res) => {
    const user = currentUser(req);
    if (!['deputy', ...ALL_ITEMS_ROLES].includes(user.role))
      throw problems.forbidden('units do not choose deputies');
    const items = await ds.query(`SELECT id, name, town, level FROM deputies ORDER BY town, name`);
    res.json({ items });
  });

  /**
   * Units' requests: the reviewer, coordinator, supervisor and admin see all; a unit's people see
   * their unit's own; deputies none (403).
   */
  r.get('/unit-requests', async (req, res) => {
    const user = currentUser(req);
    const q = validate(unitRequestListQuery, req.query);
    const params: unknown[] = [];
    const where: string[] = [];
    if (ALL_ITEMS_ROLES.includes(user.role)) {
      // all of them
    } else if (['unit_handler', 'unit_leader'].includes(user.role) && user.unitId) {
      params.push(user.unitId);
      where.push(`q.unit_id = $${params.length}`);
    } else {
      throw problems.forbidden('only the reviewer, coordinator, supervisor or the units see requests');
    }
    if (q.status !== 'all') {
      params.push(q.status);
      where.push(`q.status = $${params.length}`);
    }
    const items = await ds.query(
      `SELECT q.id, q.suggestion_id AS "suggestionId", s.title, s.registration_no AS "registrationNo", s.status AS "suggestionStatus",
         q.unit_id AS "unitId", u.name AS "unitName", q.round, q.kind, q.reason, q.requested, q.status, q.decision_note AS "decisionNote",
         q.created_at AS "createdAt", q.decided_at AS "decidedAt", rb.display_name AS "requestedByName"
       FROM unit_requests q JOIN suggestions s ON s.id = q.suggestion_id JOIN units u ON u.id = q.unit_id
       LEFT JOIN users rb ON rb.id = q.requested_by
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.created_at LIMIT 500`,
      params,
    );
    res.json({ items, total: items.length });
  });
  return r;
}
