/**
 * The constituent's side of 一码通, without login (mounted before requireUser at /api/intake, rate
 * limited per address like every public route): what a QR code points at, writing a message,
 * following it with the tracking code and rating the answer. Personal data never leaves through these
 * routes. Any unknown or malformed code answers the same 404, so codes cannot be probed.
 */
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import {
  dutySlotLabels,
  messageCategoryLabels,
  stationKindLabels,
  type DutySlot,
  TRACKING_CODE_LENGTH,
  type StationKind,
} from '@jianyi/domain';
import { config } from '@jianyi/platform';
import { intakeFieldLabels, messageBody, ratingBody, targetParams, trackParams } from './contracts/intake';
import { HttpProblem } from './http/problem';
import { validate } from './http/validate';
import { randomCode, sourceHash, type IntakeService } from './intake.service';

/** The site's own address for links and QR codes: JIANYI_PUBLIC_URL, else the host the request came to (via the web proxy). */
export function publicBase(req: Request): string {
  if (config.web.publicUrlSet) return config.web.publicUrl.replace(/\/+$/, '');
  const host = req.get('x-forwarded-host') ?? req.get('host') ?? 'localhost';
  const proto = req.get('x-forwarded-proto') ?? req.protocol;
  return `${proto}://${host}`;
}

export function intakePublicRoutes(intake: IntakeService): Router {
  const r = Router();

  r.get('/targets/:code', async (req, res) => {
    const { code } = validate(targetParams, req.params);
    const t = await intake.target(code);
    const deputies = t.stationId ? await intake.repo.stationDeputyNames(t.stationId) : [];
    // A station's page shows its roster; a deputy's own code shows no station's roster.
    const duties =
      t.kind === 'station' && t.stationId
        ? (await intake.repo.dutiesAhead(t.stationId, 14)).map((d) => ({
            day: d.day,
            slot: d.slot,
            slotLabel: dutySlotLabels[d.slot as DutySlot] ?? d.slot,
            name: d.name,
          }))
        : [];
    const today = duties.length ? await intake.repo.today() : '';
    res.json({
      code: t.code,
      kind: t.kind,
      name: t.name,
      stationKind: t.stationKind,
      stationKindLabel: t.stationKind ? stationKindLabels[t.stationKind as StationKind] : null,
      town: t.town,
      address: t.address,
      openingHours: t.openingHours,
      deputies,
      onDutyToday: duties
        .filter((d) => d.day === today)
        .map((d) => ({ name: d.name, slot: d.slot, slotLabel: d.slotLabel })),
      duties,
      categories: Object.entries(messageCategoryLabels).map(([value, label]) => ({ value, label })),
      url: `${publicBase(req)}/m/${t.code}`,
    });
  });

  /** The QR code (SVG, qrcode library) of the target's short URL, for posters and the admin page. */
  r.get('/targets/:code/qr.svg', async (req, res) => {
    const { code } = validate(targetParams, req.params);
    const t = await intake.target(code);
    const svg = await QRCode.toString(`${publicBase(req)}/m/${t.code}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    // An image other pages of the platform embed (same origin through the web proxy).
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=300').send(svg);
  });

  r.post('/targets/:code/messages', async (req, res) => {
    if (Number(req.get('content-length') ?? 0) > config.intake.maxBodyBytes)
      throw new HttpProblem(413, '留言内容过长', 'request body too large', [
        { field: '(body)', message: '请求体过大', messageEn: 'request body too large' },
      ]);
    const { code } = validate(targetParams, req.params);
    const t = await intake.target(code);
    const b = validate(messageBody, req.body, intakeFieldLabels);
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

  r.get('/track/:code', async (req, res) => {
    const { code } = validate(trackParams, req.params);
    const { view } = await intake.track(code);
    res.set('Cache-Control', 'no-store').json(view);
  });

  r.post('/track/:code/rating', async (req, res) => {
    const { code } = validate(trackParams, req.params);
    const b = validate(ratingBody, req.body, intakeFieldLabels);
    res.json(await intake.rate(code, b.rating, b.comment ?? null));
  });

  return r;
}
