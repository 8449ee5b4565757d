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
import { problems } from './http/problem';
import { validate } from './http/validate';
import { unitInboxQuery, unitRequestListQuery } from './contracts/workbench';
import { DeputyRepository } from './deputy.repository';
import { UnitInboxRepository } from './unit-inbox.repository';
import { UnitRepository } from './unit.repository';
import { UnitRequestRepository } from './unit-request.repository';

const ALL_ITEMS_ROLES = ['reviewer', 'coordinator', 'supervisor', 'admin'];
export function workbenchRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  let policies = opts.policies;
  const inbox = new UnitInboxRepository(ds, opts.policies);
  const units = new UnitRepository(ds);
  const deputies = new DeputyRepository(ds);
  const requests = new UnitRequestRepository(ds);

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
    const items = await inbox.list(user.unitId, validate(unitInboxQuery, req.query));
    res.json({ items, total: items.length });
  });

  /** Units are public bodies; every signed-in user may list their names. */
  r.get('/directory/units', async (_req, res) => {
    res.json({ items: await units.directory() });
  });

  /** Deputies by name and town (public facts about them), for the co-signer picker. */
  r.get('/directory/deputies', async (req, res) => {
    const user = currentUser(req);
    if (!['deputy', ...ALL_ITEMS_ROLES].includes(user.role))
      throw problems.forbidden('units do not choose deputies');
    res.json({ items: await deputies.directory() });
  });

  /**
   * Units' requests: the reviewer, coordinator, supervisor and admin see all; a unit's people see
   * their unit's own; deputies none (403).
   */
  r.get('/unit-requests', async (req, res) => {
    const user = currentUser(req);
    const q = validate(unitRequestListQuery, req.query);
    let unitId: string | undefined;
    if (ALL_ITEMS_ROLES.includes(user.role)) {
      // all of them
    } else if (['unit_handler', 'unit_leader'].includes(user.role) && user.unitId) {
      unitId = user.unitId;
    } else {
      throw problems.forbidden('only the reviewer, coordinator, supervisor or the units see requests');
    }
    const items = await requests.list({ unitId, status: q.status });
    res.json({ items, total: items.length });
  });
  return r;
}
