/**
 * Constituent messages for those who handle them (mounted at /api/messages after requireUser):
 * the inbox of a deputy, a station's staff or a unit; one message; claim, answer, forward, convert;
 * and 线下反馈 entered by station staff. The constituent's name and phone are in the answer only for
 * the station's deputies and staff (never for units or overseers).
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { messageStatuses, messageStatusLabels, type MessageStatus } from '@jianyi/domain';
import {
  answerMessageUpdate,
  claimMessageUpdate,
  convertMessageUpdate,
  forwardMessageUpdate,
} from '@jianyi/workflows';
import { answerBody, convertBody, forwardBody, offlineMessageBody } from './contracts/intake';
import { currentUser, requireRole } from './http/auth';
import { problems } from './http/problem';
import { HANDLES, VISIBLE, actorOf, visibilityParams, type IntakeService } from './intake.service';
import { parseIntake, publicBase } from './intake-public.routes';

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const COLUMNS = `m.id, m.tracking_code AS "trackingCode", m.status, m.category, m.content, m.channel,
  m.station_id AS "stationId", s.name AS "stationName", m.deputy_id AS "deputyId", d.name AS "deputyName",
  m.claimed_by_deputy_id AS "claimedByDeputyId", m.claimed_by_user_id AS "claimedByUserId", cu.display_name AS "claimerName",
  m.unit_id AS "unitId", un.name AS "unitName", m.forward_note AS "forwardNote",
  ${iso('m.created_at')} AS "createdAt", ${iso('m.claim_deadline_at')} AS "claimDeadlineAt", m.claim_overdue AS "claimOverdue",
  ${iso('m.claimed_at')} AS "claimedAt", ${iso('m.forwarded_at')} AS "forwardedAt", ${iso('m.answer_deadline_at')} AS "answerDeadlineAt",
  m.overdue, m.answer, ${iso('m.answered_at')} AS "answeredAt", m.on_time AS "onTime", m.suggestion_id AS "suggestionId",
  m.rating, m.rating_comment AS "ratingComment",
  CASE WHEN ${HANDLES} THEN m.name END AS name, CASE WHEN ${HANDLES} THEN m.phone END AS phone,
  CASE WHEN ${HANDLES} THEN m.consent_contact END AS "consentContact"`;
const FROM = `FROM messages m
  LEFT JOIN stations s ON s.id = m.station_id LEFT JOIN deputies d ON d.id = m.deputy_id
  LEFT JOIN users cu ON cu.id = m.claimed_by_user_id LEFT JOIN units un ON un.id = m.unit_id`;

const listQuery = z.object({
  status: z.enum(messageStatuses).optional(),
  suggestionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export function messageRoutes(ds: DataSource, intake: IntakeService): Router {
  const r = Router();

  const load = async (req: Request) => {
    const user = currentUser(req);
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw problems.notFound('message');
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT ${COLUMNS} ${FROM} WHERE m.id = $5 AND ${VISIBLE}`,
      [...visibilityParams(user), id],
    );
    if (!rows[0]) throw problems.notFound('message');
    return { user, m: rows[0], id };
  };
  const withLabel = (m: Record<string, unknown>) => ({
    ...m,
    statusLabel: messageStatusLabels[m.status as MessageStatus],
  });

  r.get('/', async (req, res) => {
    const user = currentUser(req);
    const q = parseIntake(listQuery, req.query);
    const params: unknown[] = [...visibilityParams(user)];
    let where = VISIBLE;
    if (q.status) {
      params.push(q.status);
      where += ` AND m.status = $${params.length}`;
    }
    if (q.suggestionId) {
      params.push(q.suggestionId);
      where += ` AND m.suggestion_id = $${params.length}`;
    }
    params.push(q.limit);
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY m.created_at DESC, m.id LIMIT $${params.length}`,
      params,
    );
    res.json({ items: rows.map(withLabel) });
  });

  /** The stations the caller staffs or sits in (for the 线下反馈 form and the inbox filter). */
  r.get('/my-stations', async (req, res) => {
    const user = currentUser(req);
    const rows: unknown[] = await ds.query(
      `SELECT s.id, s.code, s.name, s.kind, s.town FROM stations s
       WHERE s.active AND (s.id IN (SELECT station_id FROM station_staff WHERE user_id = $1)
         OR ($2::uuid IS NOT NULL AND s.id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)))
       ORDER BY s.name`,
      [user.id, user.deputyId],
    );
    res.json({ items: rows });
  });

  /** 线下反馈: a message handed in on paper or in person, entered by the station's staff. */
  r.post('/offline', async (req, res) => {
    const user = requireRole(req, 'station_staff');
    const b = parseIntake(offlineMessageBody, req.body);
    const staffed: unknown[] = await ds.query(
      `SELECT 1 FROM station_staff ss JOIN stations s ON s.id = ss.station_id AND s.active WHERE ss.station_id = $1 AND ss.user_id = $2`,
      [b.stationId, user.id],
    );
    if (!staffed.length) throw problems.forbidden('you are not staff of this station');
    const out = await intake.create({
      stationId: b.stationId,
      deputyId: null,
      category: b.category,
      content: b.content,
      name: b.name ?? null,
      phone: b.phone ?? null,
      consent: b.consent,
      channel: 'offline',
      sourceHash: null,
      createdBy: user,
    });
    res.status(201).json({ ...out, trackUrl: `${publicBase(req)}/m/track/${out.trackingCode}` });
  });

  r.get('/:id', async (req, res) => {
    const { m } = await load(req);
    res.json(withLabel(m));
  });

  const step = (
    path: string,
    run: (req: Request, id: string, user: ReturnType<typeof currentUser>) => Promise<unknown>,
  ) =>
    r.post(`/:id/${path}`, async (req, res) => {
      const { user, id } = await load(req);
      await run(req, id, user);
      const { m } = await load(req);
      res.json(withLabel(m));
    });

  step('claim', (req, id, user) =>
    intake.update(id, (h) =>
      h.executeUpdate(claimMessageUpdate, { args: [actorOf(user)], updateId: `claim-${id}-${randomUUID()}` }),
    ),
  );
  step('answer', (req, id, user) => {
    const b = parseIntake(answerBody, req.body);
    return intake.update(id, (h) =>
      h.executeUpdate(answerMessageUpdate, {
        args: [actorOf(user), b],
        updateId: `answer-${id}-${randomUUID()}`,
      }),
    );
  });
  step('forward', async (req, id, user) => {
    const b = parseIntake(forwardBody, req.body);
    const unit: unknown[] = await ds.query(`SELECT 1 FROM units WHERE id = $1`, [b.unitId]);
    if (!unit.length)
      throw problems.invalid([{ field: 'unitId', message: '承办单位:不存在', messageEn: 'no such unit' }]);
    return intake.update(id, (h) =>
      h.executeUpdate(forwardMessageUpdate, {
        args: [actorOf(user), { unitId: b.unitId, note: b.note }],
        updateId: `forward-${id}-${randomUUID()}`,
      }),
    );
  });
  step('convert', (req, id, user) => {
    const b = parseIntake(convertBody, req.body);
    return intake.update(id, (h) =>
      h.executeUpdate(convertMessageUpdate, {
        args: [actorOf(user), b],
        updateId: `convert-${id}-${randomUUID()}`,
      }),
    );
  });

  return r;
}
