import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import cookieParser from 'cookie-parser';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession } from '@jianyi/platform/src/testing';
import { authRoutes } from '../src/auth.routes';
import { congressSessionRoutes } from '../src/congress-session.routes';
import { requireUser } from '../src/http/auth';
import { errorHandler } from '../src/http/problem';

// 届次 (issue 9): congress sessions are data the admin keeps (it used to be the calendar year). The
// router is mounted as app.ts mounts it, on an app of its own (ephemeral port, the stack's PostgreSQL).
// Every row this file writes is removed in afterAll; its sessions are in 2091, which nothing else uses.
let ds: DataSource;
let server: Server;
let base: string;
const unexpected: unknown[] = [];
const sessions: string[] = [];
const suggestions: string[] = [];

beforeAll(async () => {
  ds = await openDataSource();
  const app = express();
  app.use(express.json());
  app.use(cookieParser());
  app.use('/api/auth', authRoutes(ds));
  app.use('/api', requireUser(ds));
  app.use('/api/admin/sessions', congressSessionRoutes(ds));
  app.use(errorHandler({ error: (o: unknown) => void unexpected.push(o) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (ds?.isInitialized) {
    if (suggestions.length)
      await ds.query(`DELETE FROM suggestions WHERE id = ANY($1::uuid[])`, [suggestions]);
    if (sessions.length)
      await ds.query(`DELETE FROM congress_sessions WHERE id = ANY($1::uuid[])`, [sessions]);
    await ds.destroy();
  }
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  expect(unexpected).toEqual([]);
});

async function login(username: string): Promise<ApiSession> {
  const s = new ApiSession(base);
  const r = await s.call('POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status}`);
  return s;
}

describe('届次: congress sessions kept by the admin', () => {
  it('lists the seeded session; creates one named 第N届人民代表大会第M次会议 that counts the items submitted within its dates', async () => {
    const admin = await login('admin');
    const list = await admin.call('GET', '/api/admin/sessions');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({
        id: demoId('congress-session:17-5'),
        name: '第十七届人民代表大会第五次会议',
        startsOn: '2026-01-10',
        endsOn: '2026-01-14',
      }),
    );

    // Submitted on the session's last day, China time (still 2091-03-09 in UTC).
    const id = randomUUID();
    suggestions.push(id);
    await ds.query(
      `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, submitted_at)
       VALUES ($1, '关于测试届次归属的建议', '内容', 'submitted', $2, $3, '2091-03-14T20:00:00+08:00')`,
      [id, demoId('deputy:wang'), demoId('user:wangjianguo')],
    );
    const r = await admin.call('POST', '/api/admin/sessions', {
      term: 98,
      session: 1,
      startsOn: '2091-03-10',
      endsOn: '2091-03-14',
    });
    expect(r.status).toBe(201);
    sessions.push(r.body.id);
    expect(r.body).toMatchObject({
      term: 98,
      session: 1,
      name: '第98届人民代表大会第1次会议',
      suggestions: 1,
    });
    const audit = await ds.query(`SELECT action, actor_user_id FROM audit_log WHERE entity_id = $1`, [
      r.body.id,
    ]);
    expect(audit).toEqual([{ action: 'congress_session.create', actor_user_id: demoId('user:admin') }]);

    // The item counts as 闭会期间 once the session's dates no longer contain its day.
    const moved = await admin.call('PATCH', `/api/admin/sessions/${r.body.id}`, { endsOn: '2091-03-13' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ endsOn: '2091-03-13', suggestions: 0 });
  });

  it('refuses a term/session that exists, overlapping dates (409) and a session that closes before it opens (422)', async () => {
    const admin = await login('admin');
    const first = await admin.call('POST', '/api/admin/sessions', {
      term: 98,
      session: 2,
      startsOn: '2091-06-01',
      endsOn: '2091-06-05',
    });
    expect(first.status).toBe(201);
    sessions.push(first.body.id);
    const same = await admin.call('POST', '/api/admin/sessions', {
      term: 98,
      session: 2,
      startsOn: '2091-09-01',
      endsOn: '2091-09-05',
    });
    expect(same.status).toBe(409);
    const overlap = await admin.call('POST', '/api/admin/sessions', {
      term: 98,
      session: 3,
      startsOn: '2091-06-05',
      endsOn: '2091-06-08',
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.errors?.[0]?.field).toBe('startsOn');
    const backwards = await admin.call('POST', '/api/admin/sessions', {
      term: 98,
      session: 4,
      startsOn: '2091-07-05',
      endsOn: '2091-07-01',
    });
    expect(backwards.status).toBe(422);
    expect((backwards.body.errors ?? []).map((e: { field: string }) => e.field)).toContain('endsOn');

    expect((await admin.call('DELETE', `/api/admin/sessions/${first.body.id}`)).status).toBe(204);
    expect((await admin.call('DELETE', `/api/admin/sessions/${first.body.id}`)).status).toBe(404);
  });

  it('is for the admin only: 401 without a session, 403 for other roles, nothing written', async () => {
    expect((await new ApiSession(base).call('GET', '/api/admin/sessions')).status).toBe(401);
    const before = await ds.query(`SELECT count(*)::int AS n FROM congress_sessions`);
    for (const username of ['reviewer', 'wangjianguo', 'jtj.leader']) {
      const s = await login(username);
      expect((await s.call('GET', '/api/admin/sessions')).status).toBe(403);
      const post = await s.call('POST', '/api/admin/sessions', {
        term: 97,
        session: 1,
        startsOn: '2091-11-01',
        endsOn: '2091-11-02',
      });
      expect(post.status).toBe(403);
    }
    expect(await ds.query(`SELECT count(*)::int AS n FROM congress_sessions`)).toEqual(before);
  });
});
