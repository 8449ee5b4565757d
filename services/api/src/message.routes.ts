/**
 * Constituent messages for those who handle them (mounted at /api/messages after requireUser):
 * the inbox of a deputy, a station's staff or a unit; one message; claim, answer, forward, convert;
 * and 线下反馈 entered by station staff. The constituent's name and phone are in the answer only for
 * the station's deputies and staff (never for units or overseers).
 */
import { Router, type Request } from 'express';
import { dutySlotLabels, Role, type DutySlot } from '@jianyi/domain';
import {
  answerBody,
  convertBody,
  forwardBody,
  intakeFieldLabels,
  linkBody,
  mergeBody,
  messageListQuery,
  offlineMessageBody,
} from './contracts/intake';
import { currentUser, requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { publicBase } from './intake-public.routes';
import type { IntakeService } from './intake.service';
import type { SessionUser } from '@jianyi/platform';

export function messageRoutes(intake: IntakeService): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const user = currentUser(req);
    const q = validate(messageListQuery, req.query, intakeFieldLabels);
    res.json(await intake.list(user, q));
  });

  /** The stations the caller staffs or sits in (for the 线下反馈 form and the inbox). */
  r.get('/my-stations', async (req, res) => {
    const user = currentUser(req);
    const stations = (await intake.repo.myStations(user)) as { id: string }[];
    const mine = user.role === 'deputy' && user.deputyId ? await intake.repo.myDuties(user.deputyId) : [];
    const today = await intake.repo.today();
    const items = await Promise.all(
      stations.map(async (s) => ({
        ...s,
        onDutyToday: (await intake.repo.dutiesAhead(s.id, 1))
          .filter((d) => d.day === today)
          .map((d) => d.name),
        myDuties: mine
          .filter((d) => d.stationId === s.id)
          .map((d) => ({
            day: d.day,
            slot: d.slot,
            slotLabel: dutySlotLabels[d.slot as DutySlot] ?? d.slot,
          })),
      })),
    );
    res.json({ items });
  });

  /** 线下反馈: a message handed in on paper or in person, entered by the station's staff. */
  r.post('/offline', async (req, res) => {
    const user = requireRole(req, Role.stationStaff);
    const b = validate(offlineMessageBody, req.body, intakeFieldLabels);
    if (!(await intake.repo.staffs(user.id, b.stationId)))
      throw problems.forbidden('you are not staff of this station');
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

  /** The caller's suggestions a message may join (deputies; empty for others). */
  r.get('/link-targets', async (req, res) => {
    const user = currentUser(req);
    res.json({
      items: user.role === 'deputy' && user.deputyId ? await intake.repo.linkTargets(user.deputyId) : [],
    });
  });

  /** 疑似重复: messages of the same station and suggestions that read like this one, for those who handle it. */
  r.get('/:id/similar', async (req, res) => {
    res.json(await intake.similar(currentUser(req), pathId(req.params.id, 'message')));
  });

  r.get('/:id', async (req, res) => {
    const id = pathId(req.params.id, 'message');
    res.json(await intake.view(currentUser(req), id));
  });

  /** A step: 404 unless the caller may see the message, the workflow's validator decides (403/409), then the new view. */
  const step = (path: string, run: (req: Request, id: string, user: SessionUser) => Promise<unknown>) =>
    r.post(`/:id/${path}`, async (req, res) => {
      const user = currentUser(req);
      const id = pathId(req.params.id, 'message');
      await intake.view(user, id);
      await run(req, id, user);
      res.json(await intake.view(user, id));
    });

  step('claim', (_req, id, user) => intake.claim(user, id));
  step('answer', (req, id, user) =>
    intake.answer(user, id, validate(answerBody, req.body, intakeFieldLabels)),
  );
  step('forward', (req, id, user) =>
    intake.forward(user, id, validate(forwardBody, req.body, intakeFieldLabels)),
  );
  step('convert', (req, id, user) =>
    intake.convert(user, id, validate(convertBody, req.body, intakeFieldLabels)),
  );
  step('link', (req, id, user) => intake.link(user, id, validate(linkBody, req.body, intakeFieldLabels)));
  step('merge', (req, id, user) => intake.merge(user, id, validate(mergeBody, req.body, intakeFieldLabels)));

  return r;
}
