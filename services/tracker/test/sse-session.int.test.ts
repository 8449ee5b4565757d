/**
 * The SSE stream is not a session that outlives its right (issue 10, ASVS V3): a tracker on its own
 * ephemeral port, with the stack's real PostgreSQL and sessions made by the real API, short limits.
 * Logout and a change of role end an open stream; a user cannot open streams without end; a client
 * resuming from far back (Last-Event-ID: 0) is told to reload instead of being sent the whole outbox.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendOutbox, config, createLogger, openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, STRONG_TEST_PASSWORD, apiBase, waitFor } from '@jianyi/platform/src/testing';
import { urgeEvent } from '../../relay/test/support';
import { Tracker } from '../src/tracker';

let ds: DataSource;
let tracker: Tracker;
let server: Server;
let url: string;
const users: string[] = [];

beforeAll(async () => {
  ds = await openDataSource();
  tracker = new Tracker(ds, createLogger('tracker-test'), {
    recheckMs: 200,
    maxStreamsPerUser: 2,
    maxCatchUp: 5,
    maxBufferedBytes: 1 << 20,
  });
  await tracker.init();
  server = tracker.app().listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  if (ds?.isInitialized) {
    if (users.length) {
      await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [users]);
      await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [users]);
    }
    await ds.destroy();
  }
});

async function login(username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${apiBase()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${config.cookieName}=`))!;
}

/** An open stream: its frames as they come, and whether the server ended it. */
function open(cookie: string, lastEventId?: string) {
  const frames: { event: string; id: string | null; data: string }[] = [];
  const state = { status: 0, ended: false };
  const ctrl = new AbortController();
  const done = (async () => {
    const res = await fetch(url, {
      headers: {
        cookie,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: ctrl.signal,
    });
    state.status = res.status;
    if (res.status !== 200 || !res.body) return;
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let sep: number;
      while ((sep = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, sep);
        buf = buf.slice(sep + 2);
        const f = { event: 'message', id: null as string | null, data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) f.event = line.slice(7);
          else if (line.startsWith('id: ')) f.id = line.slice(4);
          else if (line.startsWith('data: ')) f.data += line.slice(6);
        }
        if (f.data) frames.push(f);
      }
    }
    state.ended = true;
  })().catch(() => undefined);
  return { frames, state, close: () => ctrl.abort(), done };
}

async function throwawayUser(role: string) {
  const admin = await ApiSession.login('admin');
  const username = `sse.${randomUUID().slice(0, 8)}`;
  const r = await admin.call('POST', '/api/admin/users', {
    username,
    password: STRONG_TEST_PASSWORD,
    displayName: '测试督查员',
    role,
  });
  expect(r.status).toBe(201);
  users.push(r.body.id);
  return { admin, username, id: r.body.id as string };
}

describe('the SSE stream re-checks its session', () => {
  it('ends an open stream when its user logs out', async () => {
    const cookie = await login('supervisor');
    const s = open(cookie);
    await waitFor('the stream to open', async () => s.state.status === 200);
    const out = await fetch(`${apiBase()}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBeLessThan(300);
    await waitFor('the stream to end', async () => s.state.ended, 5_000);
    expect(s.frames.at(-1)).toMatchObject({
      event: 'end',
      data: JSON.stringify({ reason: 'session-ended' }),
    });
    // The same cookie cannot open a new one.
    const again = open(cookie);
    await waitFor('an answer', async () => again.state.status !== 0);
    expect(again.state.status).toBe(401);
  });

  it("ends an open stream when the admin changes the user's role, and when the user is deactivated", async () => {
    const { admin, username, id } = await throwawayUser('supervisor');
    const s = open(await login(username, STRONG_TEST_PASSWORD));
    await waitFor('the stream to open', async () => s.state.status === 200);
    expect((await admin.call('PATCH', `/api/admin/users/${id}`, { role: 'coordinator' })).status).toBe(200);
    await waitFor('the stream to end', async () => s.state.ended, 5_000);
    expect(s.frames.at(-1)).toMatchObject({
      event: 'end',
      data: JSON.stringify({ reason: 'rights-changed' }),
    });

    const t = open(await login(username, STRONG_TEST_PASSWORD)); // a new stream with the new role
    await waitFor('the stream to open', async () => t.state.status === 200);
    expect((await admin.call('PATCH', `/api/admin/users/${id}`, { active: false })).status).toBe(200);
    await waitFor('the stream to end', async () => t.state.ended, 5_000);
    expect(t.frames.at(-1)?.event).toBe('end');
  });
});

describe('the SSE stream has limits', () => {
  it('refuses a user one stream more than the cap with 429', async () => {
    const cookie = await login('coordinator');
    const a = open(cookie);
    const b = open(cookie);
    await waitFor('two streams', async () => a.state.status === 200 && b.state.status === 200);
    const c = open(cookie);
    await waitFor('an answer', async () => c.state.status !== 0);
    expect(c.state.status).toBe(429);
    a.close();
    await waitFor('room again', async () => {
      const d = open(cookie);
      await waitFor('an answer', async () => d.state.status !== 0);
      d.close();
      return d.state.status === 200;
    });
    b.close();
  });

  it('replays a short gap from Last-Event-ID, but tells a client far behind (or at 0) to reload', async () => {
    const wang = demoId('deputy:wang');
    const events = Array.from({ length: 8 }, (_, n) => urgeEvent(randomUUID(), 'handling', n, wang));
    for (const e of events) await ds.transaction((m) => appendOutbox(m, e));
    const ids: string[] = (
      await ds.query(`SELECT id::text AS id FROM outbox WHERE event_id = ANY($1::uuid[]) ORDER BY id`, [
        events.map((e) => e.id),
      ])
    ).map((r: { id: string }) => r.id);
    await tracker.deliver(BigInt(ids.at(-1)!)); // as the Kafka consumer does once they are published
    const cookie = await login('wangjianguo');

    // Three missed (fewer than the cap of 5): sent, in order, then live.
    const near = open(cookie, ids[4]);
    await waitFor(
      'the missed events',
      async () => near.frames.filter((f) => ids.includes(f.id!)).length >= 3,
    );
    // (Other tests' events for the same deputy may be interleaved; this test's own are in order.)
    expect(near.frames.map((f) => f.id).filter((id) => ids.includes(id!))).toEqual(ids.slice(5));
    near.close();

    // From 0: the whole outbox is not replayed; the client is told to reload, then gets live events.
    const far = open(cookie, '0');
    await waitFor('the reset', async () => far.frames.length > 0);
    expect(far.frames[0]).toMatchObject({
      event: 'reset',
      data: JSON.stringify({ reason: 'too-far-behind' }),
    });
    const live = urgeEvent(randomUUID(), 'handling', 9, wang);
    await ds.transaction((m) => appendOutbox(m, live));
    const [{ id: liveId }] = await ds.query(`SELECT id::text AS id FROM outbox WHERE event_id = $1`, [
      live.id,
    ]);
    await tracker.deliver(BigInt(liveId));
    await waitFor('the live event', async () => far.frames.some((f) => f.id === liveId));
    // Nothing from before the reset was replayed.
    const replayed = far.frames.filter(
      (f) => f.event === 'suggestion' && BigInt(f.id!) <= BigInt(ids.at(-1)!),
    );
    expect(replayed).toEqual([]);
    far.close();
  });
});
