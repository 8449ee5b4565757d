/**
 * Look-ups the role workbenches need beside the suggestion routes: the handling units (for
 * assignment), the deputies (for choosing co-signers, 联名) and the units' requests (申请调整 /
 * 申请延期) waiting for a decision. Mounted at /api.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { currentUser } from './http/auth';
import { problems, zodProblem } from './http/problem';

const ALL_ITEMS_ROLES = ['reviewer', 'coordinator', 'supervisor', 'admin'];
const requestsQuery = z.object({ status: z.enum(['pending', 'approved', 'refused', 'all']).default('pending') });

export function workbenchRoutes(ds: DataSource): Router {
  const r = Router();

  /** Units are public bodies; every signed-in user may list their names. */
  r.get('/directory/units', async (_req, res) => {
    const items = await ds.query(`SELECT id, code, name FROM units ORDER BY code`);
    res.json({ items });
  });

  /** Deputies by name and town (public facts about them), for the co-signer picker. */
  r.get('/directory/deputies', async (req, res) => {
    const user = currentUser(req);
    if (!['deputy', ...ALL_ITEMS_ROLES].includes(user.role)) throw problems.forbidden('units do not choose deputies');
    const items = await ds.query(`SELECT id, name, town, level FROM deputies ORDER BY town, name`);
    res.json({ items });
  });

  /**
   * Units' requests: the reviewer, coordinator, supervisor and admin see all; a unit's people see
   * their unit's own; deputies none (403).
   */
  r.get('/unit-requests', async (req, res) => {
    const user = currentUser(req);
    const parsed = requestsQuery.safeParse(req.query);
    if (!parsed.success) throw zodProblem(parsed.error);
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
    if (parsed.data.status !== 'all') {
      params.push(parsed.data.status);
      where.push(`q.status = $${params.length}`);
    }
    const items = await ds.query(
      `SELECT q.id, q.suggestion_id AS "suggestionId", s.title, s.registration_no AS "registrationNo", s.status AS "suggestionStatus",
         q.unit_id AS "unitId", u.name AS "unitName", q.round, q.kind, q.reason, q.requested, q.status, q.decision_note AS "decisionNote",
         q.created_at AS "createdAt", q.decided_at AS "decidedAt", rb.display_name AS "requestedByName"
       FROM unit_requests q JOIN suggestions s ON s.id = q.suggestion_id JOIN units u ON u.id = q.unit_id
       LEFT JOIN users rb ON rb.id = q.requested_by
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.created_at LIMIT 500`, params);
    res.json({ items, total: items.length });
  });
  return r;
}
