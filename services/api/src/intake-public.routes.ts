/**
 * The constituent's side of 一码通, without login (mounted before requireUser at /api/intake):
 * what a QR code points at, writing a message, following it with the tracking code and rating the
 * answer. Personal data never leaves through these routes. Any unknown or malformed code answers the
 * same 404, so codes cannot be probed.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import type { z } from 'zod';
import type { DataSource } from 'typeorm';
import {
  isWellFormedCode,
  messageCategoryLabels,
  messageRatingLabels,
  messageStatusLabels,
  normalizeCode,
  plainProgress,
  stationKindLabels,
  type MessageStatus,
  type StationKind,
} from '@jianyi/domain';
import { rateMessageUpdate } from '@jianyi/workflows';
import { intakeFieldLabels, messageBody, ratingBody } from './contracts/intake';
import { problems, zodProblem, HttpProblem } from './http/problem';
import {
  intakeLimits,
  randomCode,
  sourceHash,
  TARGET_CODE_LENGTH,
  type IntakeService,
} from './intake.service';
import { TRACKING_CODE_LENGTH } from '@jianyi/domain';

export function parseIntake<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const p = zodProblem(r.error);
  for (const e of p.errors) {
    const label = intakeFieldLabels[e.field];
    if (label) e.message = e.message.replace(/^[^:]*:/, `${label}:`);
  }
  throw p;
}

/** The site's own address for links and QR codes: JIANYI_PUBLIC_URL, else the request's (via the web proxy). */
export function publicBase(req: Request): string {
  if (process.env.JIANYI_PUBLIC_URL) return process.env.JIANYI_PUBLIC_URL.replace(/\/+$/, '');
  const host = req.get('x-forwarded-host') ?? req.get('host') ?? 'localhost';
  const proto = req.get('x-forwarded-proto') ?? req.protocol;
  return `${proto}://${host}`;
}

const notFound = () => problems.notFound('code');

export function intakePublicRoutes(ds: DataSource, intake: IntakeService): Router {
  const r = Router();

  const targetOf = async (raw: string | undefined) => {
    const code = normalizeCode(raw ?? '');
    if (!isWellFormedCode(code, TARGET_CODE_LENGTH)) throw notFound();
    const t = await intake.target(code);
    if (!t) throw notFound();
    return t;
  };

  r.get('/targets/:code', async (req, res) => {
    const t = await targetOf(req.params.code);
    const deputies: { name: string }[] = t.stationId
      ? await ds.query(
          `SELECT d.name FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id WHERE sd.station_id = $1 ORDER BY d.name`,
          [t.stationId],
        )
      : [];
    res.json({
      code: t.code,
      kind: t.kind,
      name: t.name,
      stationKind: t.stationKind,
      stationKindLabel: t.stationKind ? stationKindLabels[t.stationKind as StationKind] : null,
      town: t.town,
      address: t.address,
      openingHours: t.openingHours,
      deputies: deputies.map((d) => d.name),
      categories: Object.entries(messageCategoryLabels).map(([value, label]) => ({ value, label })),
      url: `${publicBase(req)}/m/${t.code}`,
    });
  });

  /** The QR code (SVG) of the target's short URL, for posters and the admin page. */
  r.get('/targets/:code/qr.svg', async (req, res) => {
    const t = await targetOf(req.params.code);
    const svg = await QRCode.toString(`${publicBase(req)}/m/${t.code}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=300').send(svg);
  });

  r.post('/targets/:code/messages', async (req, res) => {
    if (Number(req.get('content-length') ?? 0) > intakeLimits().maxBodyBytes)
      throw new HttpProblem(413, '留言内容过长', 'request body too large', [
        { field: '(body)', message: '请求体过大', messageEn: 'request body too large' },
      ]);
    const t = await targetOf(req.params.code);
    const b = parseIntake(messageBody, req.body);
    if (b.website) {
      // Honeypot filled: answer like a success so the robot learns nothing; nothing is stored.
      res.status(201).json({ trackingCode: randomCode(TRACKING_CODE_LENGTH), trackUrl: null });
      return;
    }
    const { trackingCode } = await intake.create({
      stationId: t.stationId,
      deputyId: t.deputyId,
      category: b.category,
      content: b.content,
      name: b.name ?? null,
      phone: b.phone ?? null,
      consent: b.consent,
      channel: 'online',
      sourceHash: sourceHash(req.ip ?? 'unknown'),
      createdBy: null,
    });
    res.status(201).json({ trackingCode, trackUrl: `${publicBase(req)}/m/track/${trackingCode}` });
  });

  const byCode = async (raw: string | undefined) => {
    const code = normalizeCode(raw ?? '');
    if (!isWellFormedCode(code)) throw notFound();
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT m.id, m.tracking_code AS "trackingCode", m.status, m.category, m.content, m.channel,
              to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
              m.answer, to_char(m.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "answeredAt",
              m.rating, m.rating_comment AS "ratingComment", s.name AS "stationName", d.name AS "deputyName",
              un.name AS "unitName", cd.name AS "claimerName", sg.registration_no AS "registrationNo", sg.status AS "suggestionStatus"
       FROM messages m
       LEFT JOIN stations s ON s.id = m.station_id
       LEFT JOIN deputies d ON d.id = m.deputy_id
       LEFT JOIN units un ON un.id = m.unit_id
       LEFT JOIN deputies cd ON cd.id = m.claimed_by_deputy_id
       LEFT JOIN suggestions sg ON sg.id = m.suggestion_id
       WHERE m.tracking_code = $1`,
      [code],
    );
    if (!rows[0]) throw notFound();
    return rows[0];
  };

  r.get('/track/:code', async (req, res) => {
    const m = await byCode(req.params.code);
    const status = m.status as MessageStatus;
    res.set('Cache-Control', 'no-store').json({
      trackingCode: m.trackingCode,
      status,
      statusLabel: messageStatusLabels[status],
      progress: plainProgress(status, m.unitName as string | null),
      category: m.category,
      categoryLabel: messageCategoryLabels[m.category as keyof typeof messageCategoryLabels] ?? '其他',
      content: m.content,
      createdAt: m.createdAt,
      to: m.stationName ?? m.deputyName,
      claimerName: m.claimerName,
      unitName: m.unitName,
      answer: m.answer,
      answeredAt: m.answeredAt,
      rating: m.rating,
      ratingLabel: m.rating ? messageRatingLabels[m.rating as keyof typeof messageRatingLabels] : null,
      canRate: status === 'answered',
      suggestion: m.registrationNo ? { registrationNo: m.registrationNo, status: m.suggestionStatus } : null,
    });
  });

  r.post('/track/:code/rating', async (req, res) => {
    const m = await byCode(req.params.code);
    const b = parseIntake(ratingBody, req.body);
    if (m.status !== 'answered')
      throw problems.conflict('only an answered message can be rated', '尚未答复或已评价');
    await intake.update(String(m.id), (h) =>
      h.executeUpdate(rateMessageUpdate, {
        args: [
          { userId: null, role: null, name: '群众' },
          { rating: b.rating, comment: b.comment ?? null },
        ],
        updateId: `rate-${String(m.id)}-${randomUUID()}`,
      }),
    );
    res.json({ trackingCode: m.trackingCode, status: 'rated', rating: b.rating });
  });

  return r;
}
