import express from 'express';
import cookieParser from 'cookie-parser';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { config, type Logger, type Ops } from '@jianyi/platform';
import { accessLog } from './http/access-log';
import { adminRoutes } from './admin.routes';
import { authRoutes } from './auth.routes';
import { currentUser, requireUser } from './http/auth';
import {
  auditRefusals,
  publicRateLimit,
  rejectNul,
  requestId,
  sameOrigin,
  securityHeaders,
} from './http/hardening';
import { errorHandler, problems } from './http/problem';
import { auditRoutes } from './audit.routes';
import { notificationRoutes } from './notification.routes';
import { pointsRoutes } from './points.routes';
import { preferenceRoutes } from './preference.routes';
import { unitWebhookRoutes } from './unit-webhook.routes';
import { clockRoutes } from './clocks.routes';
import { openapi } from './openapi';
import { methodNotAllowed } from './http/routes';
import { suggestionRoutes } from './suggestion.routes';
import { deputyAdminRoutes } from './deputy-admin.routes';
import { congressSessionRoutes } from './congress-session.routes';
import { exportRoutes } from './export.routes';
import { publicRoutes } from './public.routes';
import { statsRoutes } from './stats.routes';
import { SuggestionService } from './suggestion.service';
import { textRoutes } from './text.routes';
import { TextService } from './text.service';
import { timelineRoutes } from './timeline.routes';
import { printRoutes } from './print.routes';
import { deadlinePreviewRoutes } from './deadline-preview.routes';
import { directoryRoutes } from './directory.routes';
import { unitInboxRoutes } from './unit-inbox.routes';
import { unitRequestRoutes } from './unit-request.routes';
import { IntakeService } from './intake.service';
import { intakePublicRoutes } from './intake-public.routes';
import { messageRoutes } from './message.routes';
import { stationAdminRoutes } from './station-admin.routes';
import { attachmentPublicRoutes, attachmentRoutes } from './attachment.routes';
import { AttachmentService } from './attachments/attachment.service';
import { importRoutes } from './import.routes';
import { listExportRoutes } from './list-export.routes';
import { AppointmentService } from './appointment.service';
import { appointmentPublicRoutes, appointmentRoutes } from './appointment.routes';
import { StationRecordsService } from './station-records.service';
import { activityRoutes, stationDeskRoutes, trainingRoutes } from './station-records.routes';
import { deputyRecordRoutes } from './deputy-record.routes';
import { open311Routes } from './open311.routes';
import { open311AdminRoutes } from './open311-admin.routes';

export function createApp(deps: { ds: DataSource; temporal: Client; log: Logger; ops?: Ops }) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(config.api.trustProxy));
  // Probes first: /healthz and /readyz answer without a session, an origin or a request id.
  if (deps.ops) app.use(deps.ops.probes);
  app.use(requestId);
  app.use(accessLog(deps.log));
  app.use(securityHeaders);
  const intake = new IntakeService(deps.ds, deps.temporal);
  // Open311 GeoReport v2: authorised by a client's api_key, never by a cookie, so before the CSRF
  // check; its own body parsers, rate limit and the standard's error format.
  app.use('/api/open311/v2', open311Routes(deps.ds, intake));
  app.use(sameOrigin);
  app.use(express.json({ limit: '1mb' }));
  app.use(cookieParser());
  app.use(rejectNul);

  app.get('/api/health', async (_req, res) => {
    await deps.ds.query('SELECT 1');
    res.json({ ok: true });
  });
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));
  app.use('/api/auth', authRoutes(deps.ds));
  app.use('/api/public', publicRateLimit, publicRoutes(deps.ds)); // no login: published, non-confidential replies only
  const attachments = new AttachmentService(deps.ds);
  const appointments = new AppointmentService(deps.ds, intake);
  const stationRecords = new StationRecordsService(deps.ds, appointments);
  app.use(
    '/api/intake',
    publicRateLimit,
    intakePublicRoutes(intake),
    attachmentPublicRoutes(attachments, intake),
    appointmentPublicRoutes(appointments, intake),
  ); // no login: 一码通, the constituent's side (and the photos of their message, and 约见)

  // A method the path does not declare is 405 for everyone, signed in or not (the document is public).
  app.use(methodNotAllowed(app));
  app.use('/api', requireUser(deps.ds));
  app.get('/api/me', (req, res) => res.json({ user: currentUser(req) }));
  const text = new TextService(deps.ds);
  app.use('/api', textRoutes(deps.ds, text)); // before /api/suggestions/:id, which would take "similar"
  app.use('/api/suggestions', timelineRoutes(deps.ds));
  app.use('/api/suggestions', printRoutes(deps.ds));
  app.use('/api', attachmentRoutes(attachments, intake));
  app.use('/api', deadlinePreviewRoutes(deps.ds));
  app.use('/api', unitInboxRoutes(deps.ds));
  app.use('/api', clockRoutes(deps.ds));
  app.use('/api', directoryRoutes(deps.ds));
  app.use('/api', unitRequestRoutes(deps.ds));
  app.use(
    '/api/suggestions',
    suggestionRoutes(new SuggestionService(deps.ds, deps.temporal), text, deps.log),
  );
  app.use('/api/admin/import', importRoutes(deps.ds, stationRecords));
  app.use('/api/admin', adminRoutes(deps.ds, { temporal: deps.temporal }));
  app.use('/api/admin/deputies', deputyAdminRoutes(deps.ds));
  app.use('/api/admin/sessions', congressSessionRoutes(deps.ds));
  app.use('/api/admin/stations', stationAdminRoutes(intake));
  app.use('/api/admin/open311/clients', open311AdminRoutes(deps.ds));
  app.use('/api/messages', messageRoutes(intake));
  app.use('/api/appointments', appointmentRoutes(appointments));
  app.use('/api/stations', stationDeskRoutes(stationRecords));
  app.use('/api/activities', activityRoutes(deps.ds, stationRecords));
  app.use('/api/trainings', trainingRoutes(deps.ds, stationRecords));
  app.use('/api', deputyRecordRoutes(deps.ds));
  app.use('/api', statsRoutes(deps.ds));
  app.use('/api/exports', exportRoutes(deps.ds));
  app.use('/api/exports', listExportRoutes(deps.ds));
  app.use('/api/audit', auditRoutes(deps.ds));
  app.use('/api', notificationRoutes(deps.ds));
  app.use('/api', preferenceRoutes(deps.ds));
  app.use('/api', pointsRoutes(deps.ds));
  app.use('/api', unitWebhookRoutes(deps.ds));

  app.use((_req, _res, next) => next(problems.notFound('route')));
  app.use(auditRefusals(deps.ds));
  app.use(errorHandler(deps.log));
  return app;
}

/** JIANYI_TRUST_PROXY: `true`/`false`, a hop count, or names/CIDRs (express's own forms). */
function trustProxy(v: string): boolean | number | string {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
