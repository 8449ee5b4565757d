/**
 * A backend down during a fault answers 503 with Retry-After, not 500, and leaves nothing half-written.
 * The API under test is an instance of the app built here whose PostgreSQL and Temporal connections
 * go through TCP relays on loopback (to the test stack's real servers): closing a relay and cutting
 * its connections is, for this API, the server going away, without disturbing the stack the other
 * tests use. The worker, the relay and the rest of the stack keep running, as in the chaos run.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { config, createLogger, openDataSource, suggestionWorkflowId } from '@jianyi/platform';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';
import { createApp } from '../src/app';

/**
 * A TCP relay on `port` to `targetPort` on loopback that can be taken down (listener closed, every
 * connection cut) and brought back on the same port. The port is below the ephemeral range, so no
 * outgoing connection takes it while the relay is down.
 */
async function tcpRelay(port: number, targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await up();
  return { port: () => port, up, down };
}

let ds: DataSource; // the test's own view of the database, never through the relay
let appDs: DataSource;
let direct: Client; // the test's own Temporal client, never through the relay
let viaRelay: Connection;
let server: Server;
let base: string;
let pgRelay: Awaited<ReturnType<typeof tcpRelay>>;
let temporalRelay: Awaited<ReturnType<typeof tcpRelay>>;

beforeAll(async () => {
  ds = await openDataSource();
  direct = new Client({
    connection: await Connection.connect({ address: config.temporal.address }),
    namespace: config.temporal.namespace,
  });
  // Ports of this stack's range (JIANYI_PORT_OFFSET), unused by it: the API's port + 40 and + 41.
  pgRelay = await tcpRelay(config.api.port + 40, config.pg.port);
  temporalRelay = await tcpRelay(config.api.port + 41, Number(config.temporal.address.split(':')[1]));
  appDs = await openDataSource({
    port: pgRelay.port(),
    extra: { max: 4, application_name: 'jianyi-test-unavailable' },
  });
  // Fewer gRPC retries than the API's default (10, about 20 s), so a down Temporal answers in a second.
  viaRelay = await Connection.connect({
    address: `127.0.0.1:${temporalRelay.port()}`,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
  });
  const temporal = new Client({ connection: viaRelay, namespace: config.temporal.namespace });
  server = createApp({ ds: appDs, temporal, log: createLogger('api-unavailable-test') }).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await viaRelay?.close();
  await direct?.connection.close();
  await appDs?.destroy().catch(() => undefined);
  await ds?.destroy();
  await temporalRelay?.down();
  await pgRelay?.down();
});

async function login(username: string) {
  const s = new ApiSession(base);
  const r = await s.call('POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
  expect(r.status).toBe(200);
  return s;
}
const status = async (id: string) =>
  ((await ds.query(`SELECT status FROM suggestions WHERE id = $1`, [id])) as { status: string }[])[0]?.status;
const events = async (id: string) =>
  (
    (await ds.query(`SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])) as {
      type: string;
    }[]
  ).map((r) => r.type);

function expectUnavailable(r: { status: number; body: any; headers: Headers }) {
  expect(r.status, JSON.stringify(r.body)).toBe(503);
  expect(r.headers.get('retry-after')).toBe('5');
  expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(r.body).toMatchObject({ status: 503, type: 'about:blank' });
  expect(r.body.title).toMatch(/暂时不可用,请稍后重试/);
  expect(r.body.detail).toMatch(/unavailable for a moment/);
}

describe('a backend down during a fault (服务暂时不可用)', () => {
  it('Temporal down: submitting, accepting and a 线下反馈 answer 503 with Retry-After; nothing is half-written; the retry goes through', async () => {
    const [deputy, reviewer, staff] = await Promise.all([
      login('wangjianguo'),
      login('reviewer'),
      login('lc.staff'),
    ]);
    const draft = async (title: string) => {
      const r = await deputy.call(
        'POST',
        '/api/suggestions',
        { title, content: '建议在老旧小区加装电梯,并简化审批流程,提高补贴比例。' },
        { 'Idempotency-Key': randomUUID() },
      );
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const toSubmit = await draft(`关于老旧小区加装电梯的建议(故障时提交)${randomUUID().slice(0, 6)}`);
    const toAccept = await draft(`关于老旧小区加装电梯的建议(故障时受理)${randomUUID().slice(0, 6)}`);
    expect((await deputy.call('POST', `/api/suggestions/${toAccept}/submit`)).status).toBe(202);
    await waitFor('submitted', async () => (await status(toAccept)) === 'submitted');
    const before = await events(toAccept);

    await temporalRelay.down();
    expectUnavailable(await deputy.call('POST', `/api/suggestions/${toSubmit}/submit`));
    expectUnavailable(
      await reviewer.call('POST', `/api/suggestions/${toAccept}/review`, { decision: 'accept' }),
    );
    const content = `故障期间录入的线下留言 ${randomUUID()}`;
    expectUnavailable(
      await staff.call('POST', '/api/messages/offline', {
        stationId: demoId('station:lc'),
        category: 'transport',
        content,
        consent: false,
      }),
    );
    // Reads that need no workflow still answer while Temporal is down.
    expect((await deputy.call('GET', `/api/suggestions/${toSubmit}`)).status).toBe(200);

    // Nothing half-written: the draft is a draft without events or a workflow, the submitted item has
    // no acceptance (status, event, audit row), and the message the staff entered is not kept.
    expect(await status(toSubmit)).toBe('draft');
    expect(await events(toSubmit)).toEqual([]);
    await expect(direct.workflow.getHandle(suggestionWorkflowId(toSubmit)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    expect(await status(toAccept)).toBe('submitted');
    expect(await events(toAccept)).toEqual(before);
    expect(
      await ds.query(`SELECT 1 FROM audit_log WHERE entity_id = $1 AND action LIKE '%accept%'`, [toAccept]),
    ).toEqual([]);
    expect(await ds.query(`SELECT 1 FROM messages WHERE content = $1`, [content])).toEqual([]);

    // Back: the person's retry goes through (the client's channel may need a moment to reconnect).
    await temporalRelay.up();
    await waitFor(
      'submit after Temporal is back',
      async () => (await deputy.call('POST', `/api/suggestions/${toSubmit}/submit`)).status === 202,
      30_000,
    );
    await waitFor('submitted', async () => (await status(toSubmit)) === 'submitted');
    const accepted = await reviewer.call('POST', `/api/suggestions/${toAccept}/review`, {
      decision: 'accept',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await waitFor('accepted', async () => (await status(toAccept)) === 'accepted');
    expect((await events(toAccept)).filter((t) => t === 'suggestion.accepted')).toHaveLength(1);
  });

  it('PostgreSQL down: reads and a draft answer 503 with Retry-After; the same Idempotency-Key then creates the draft once', async () => {
    const deputy = await login('wangjianguo');
    const key = randomUUID();
    const title = `关于增设公交候车亭的建议(数据库故障)${key.slice(0, 6)}`;
    const body = { title, content: '多个公交站点没有候车亭,雨天候车不便,建议增设。' };

    await pgRelay.down();
    expectUnavailable(await deputy.call('GET', '/api/suggestions'));
    expectUnavailable(await deputy.call('POST', '/api/suggestions', body, { 'Idempotency-Key': key }));
    expect(await ds.query(`SELECT 1 FROM suggestions WHERE title = $1`, [title])).toEqual([]);
    expect(await ds.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).toEqual([]);

    await pgRelay.up();
    const created = await waitFor(
      'draft after PostgreSQL is back',
      async () => {
        const r = await deputy.call('POST', '/api/suggestions', body, { 'Idempotency-Key': key });
        return r.status === 201 ? r : null;
      },
      30_000,
    );
    expect(created.headers.get('idempotent-replayed')).toBe('false');
    expect(await ds.query(`SELECT 1 FROM suggestions WHERE title = $1`, [title])).toHaveLength(1);
  });
});
