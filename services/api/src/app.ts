import { randomUUID } from 'node:crypto';
import express from 'express';
import cookieParser from 'cookie-parser';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Logger } from '@jianyi/platform';
import { adminRoutes } from './admin.routes';
import { authRoutes } from './auth.routes';
import { currentUser, requireUser } from './http/auth';
import { errorHandler, problems } from './http/problem';
import { notificationRoutes } from './notification.routes';
import { openapi } from './openapi';
import { suggestionRoutes } from './suggestion.routes';
import { deputyAdminRoutes } from './deputy-admin.routes';
import { exportRoutes } from './export.routes';
import { publicRoutes } from './public.routes';
import { statsRoutes } from './stats.routes';
import { SuggestionService } from './suggestion.service';
import { timelineRoutes } from './timeline.routes';
import { workbenchRoutes } from './workbench.routes';
import { IntakeService } from './intake.service';
import { intakePublicRoutes } from './intake-public.routes';
import { messageRoutes } from './message.routes';
import { stationAdminRoutes } from './station-admin.routes';

export function createApp(deps: { ds: DataSource; temporal: Client; log: Logger }) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '1mb' }));
  app.use(cookieParser());
  app.use((req, res, next) => {
    req.requestId = req.get('X-Request-Id') ?? randomUUID();
    res.set('X-Request-Id', req.requestId);
    next();
  });

  app.get('/api/health', async (_req, res) => {
    await deps.ds.query('SELECT 1');
    res.json({ ok: true });
  });
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));
  app.use('/api/auth', authRoutes(deps.ds));
  app.use('/api/public', publicRoutes(deps.ds)); // no login: published, non-confidential replies only
  const intake = new IntakeService(deps.ds, deps.temporal);
  app.use('/api/intake', intakePublicRoutes(deps.ds, intake)); // no login: 一码通, the constituent's side

  app.use('/api', requireUser(deps.ds));
  app.get('/api/me', (req, res) => res.json({ user: currentUser(req) }));
  app.use('/api/suggestions', timelineRoutes(deps.ds));
  app.use('/api', workbenchRoutes(deps.ds));
  app.use('/api/suggestions', suggestionRoutes(new SuggestionService(deps.ds, deps.temporal)));
  app.use('/api/admin', adminRoutes(deps.ds));
  app.use('/api/admin/deputies', deputyAdminRoutes(deps.ds));
  app.use('/api', statsRoutes(deps.ds));
  app.use('/api/exports', exportRoutes(deps.ds));
  app.use('/api', notificationRoutes(deps.ds));
  app.use('/api/messages', messageRoutes(deps.ds, intake));
  app.use('/api/admin/stations', stationAdminRoutes(deps.ds));

  app.use((_req, _res, next) => next(problems.notFound('route')));
  app.use(errorHandler(deps.log));
  return app;
}
