/**
 * Operations of every process (issue 14): /healthz and /readyz, Prometheus metrics that move after an
 * action, structured logs with the request id and nothing confidential, and graceful shutdown — a
 * SIGTERM to a real compiled service process mid-request lets the request finish and the process exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { config } from '../src';
import { DEMO_PASSWORD } from '../src/db/seed';
import { ApiSession, apiBase, waitFor, webBase } from '../src/testing';

const root = path.resolve(__dirname, '../../..');
const services = ['api', 'tracker', 'relay', 'notifier', 'worker'] as const;
const opsUrl = (service: string, port = config.ops.ports[service]) => `http://127.0.0.1:${port}`;

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
/** The value of one series in a Prometheus text page (its name and these labels, in any order); 0 when absent. */
function sample(page: string, series: string): number {
  const [, name, labelText = ''] = /^([^{]+)(?:\{(.*)\})?$/.exec(series)!;
  const wanted: string[] = labelText.match(/[a-z_]+="[^"]*"/g) ?? [];
  for (const line of page.split('\n')) {
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: string[] = m[2]?.match(/[a-z_]+="[^"]*"/g) ?? [];
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(m[3]);
  }
  return 0;
}
const scrape = async (service: string) => (await get(`${opsUrl(service)}/metrics`)).text;

describe('health and readiness', () => {
  for (const s of services)
    it(`${s}: /healthz and /readyz on its operations port`, async () => {
      const live = await get(`${opsUrl(s)}/healthz`);
      expect(live.status).toBe(200);
      expect(JSON.parse(live.text)).toMatchObject({ ok: true, service: s });
      const ready = await get(`${opsUrl(s)}/readyz`);
      expect(ready.status, ready.text).toBe(200);
      const r = JSON.parse(ready.text) as { results: Record<string, string> };
      expect(Object.values(r.results).every((v) => v === 'ok')).toBe(true);
    });

  it('api and tracker also answer the probes on their own HTTP port; /api/health still works', async () => {
    for (const port of [config.api.port, config.tracker.port]) {
      expect((await get(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = await get(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status, ready.text).toBe(200);
      expect(Object.keys(JSON.parse(ready.text).results)).toContain('database');
    }
    expect((await get(`${apiBase()}/api/health`)).status).toBe(200);
    // Metrics are on the operations port only, never through the API's port or the public web app.
    expect((await get(`${apiBase()}/metrics`)).text).not.toContain('jianyi_http_request_duration_seconds');
    expect((await get(`${webBase()}/metrics`)).text).not.toContain('jianyi_http_request_duration_seconds');
  });
});

describe('Prometheus metrics', () => {
  it('each service exposes its named series, and they move after a lifecycle action', async () => {
    const before = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await scrape(s)])));
    expect(before.api).toContain('# TYPE jianyi_http_request_duration_seconds histogram');
    expect(before.api).toContain('jianyi_process_cpu_user_seconds_total');
    expect(before.relay).toContain('jianyi_outbox_pending_rows');
    expect(before.relay).toContain('jianyi_outbox_oldest_unpublished_seconds');
    expect(before.relay).toContain('jianyi_relay_published_total');
    expect(before.notifier).toContain('jianyi_notification_backlog{channel="email"');
    expect(before.notifier).toMatch(
      /jianyi_kafka_consumer_lag\{group="notifier",topic="[^"]+",service="notifier"\}/,
    );
    expect(before.tracker).toContain('jianyi_sse_clients');
    expect(before.tracker).toContain('jianyi_kafka_consumer_lag{group="tracker-');
    expect(before.worker).toContain('jianyi_activity_executions_total');

    // An action: a deputy files and submits a suggestion (an activity, an outbox row, a Kafka event).
    const wang = await ApiSession.login('wangjianguo');
    const created = await wang.call(
      'POST',
      '/api/suggestions',
      { title: '关于运维指标测试的建议', content: '用于检查各服务的监控指标在一次办理动作之后是否变化。' },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await wang.call('POST', `/api/suggestions/${id}/submit`)).status).toBeLessThan(300);
    await waitFor(
      'submitted',
      async () => (await wang.call('GET', `/api/suggestions/${id}`)).body.status === 'submitted',
    );

    const login =
      'jianyi_http_request_duration_seconds_count{method="POST",route="/api/auth/login",status="200",service="api"}';
    const byId =
      'jianyi_http_request_duration_seconds_count{method="GET",route="/api/suggestions/:id",status="200",service="api"}';
    const api = await scrape('api');
    expect(sample(api, login)).toBeGreaterThan(sample(before.api!, login));
    expect(sample(api, byId)).toBeGreaterThan(sample(before.api!, byId));
    expect(api).not.toContain(id); // route templates, never raw paths
    await waitFor(
      'relay published the event',
      async () =>
        sample(await scrape('relay'), 'jianyi_relay_published_total{service="relay"}') >
        sample(before.relay!, 'jianyi_relay_published_total{service="relay"}'),
    );
    await waitFor('the worker ran activities', async () => {
      const total = (page: string) =>
        page
          .split('\n')
          .filter(
            (l) => l.startsWith('jianyi_activity_executions_total{') && l.includes('outcome="completed"'),
          )
          .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      return total(await scrape('worker')) > total(before.worker!);
    });
    await waitFor(
      'the notifier consumed the events',
      async () =>
        sample(
          await scrape('notifier'),
          'jianyi_events_consumed_total{group="notifier",service="notifier"}',
        ) > sample(before.notifier!, 'jianyi_events_consumed_total{group="notifier",service="notifier"}'),
    );

    // SSE clients: one stream open through the tracker moves the gauge.
    const cookie = await sessionCookie('wangjianguo');
    const ctrl = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${config.tracker.port}/events`, {
      headers: { cookie },
      signal: ctrl.signal,
    });
    expect(stream.status).toBe(200);
    await waitFor(
      'sse gauge',
      async () => sample(await scrape('tracker'), 'jianyi_sse_clients{service="tracker"}') >= 1,
    );
    ctrl.abort();

    // The Temporal SDK's own metrics (workflow and activity counts and latencies) from the worker's runtime.
    const sdkAddress = config.worker.sdkMetricsAddress;
    expect(sdkAddress).toBeTruthy();
    const sdk = await waitFor('sdk metrics', async () => {
      const t = (await get(`http://${sdkAddress}/metrics`)).text;
      return t.includes('temporal_activity_execution_latency') ? t : null;
    });
    expect(sdk).toContain('temporal_workflow_task_execution_latency');
  });
});

async function sessionCookie(username: string): Promise<string> {
  const res = await fetch(`${apiBase()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

describe('structured logs', () => {
  it('carry the request id (given or generated, echoed back) and the suggestion id; never passwords, sessions, phones or titles', async () => {
    const logFile = path.join(config.dataDir, 'logs', 'api.log');
    const requestId = `ops-test-${randomUUID()}`;
    const title = `关于日志脱敏检查的建议${randomUUID().slice(0, 8)}`;
    const wang = await ApiSession.login('wangjianguo');
    const created = await wang.call(
      'POST',
      '/api/suggestions',
      { title, content: '检查日志中不出现标题、密码、会话与手机号码等内容。' },
      { 'Idempotency-Key': randomUUID() },
    );
    const id = created.body.id as string;
    const r = await wang.call('GET', `/api/suggestions/${id}`, undefined, { 'X-Request-Id': requestId });
    expect(r.headers.get('x-request-id')).toBe(requestId);
    const generated = (await wang.call('GET', '/api/me')).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    // A failed login with a recognisable password, and a 一码通 message with a phone number.
    const password = `Wrong-${randomUUID()}`;
    await fetch(`${apiBase()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wangjianguo', password }),
    });
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await fetch(`${apiBase()}/api/intake/targets/CZ3K7M/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'other',
        content: '这是一条用于日志检查的留言内容。',
        phone,
        consent: true,
      }),
    });
    const lines = await waitFor('the request logged', async () => {
      const text = readFileSync(logFile, 'utf8');
      return text.includes(requestId) ? text : null;
    });
    const mine = lines
      .split('\n')
      .filter((l) => l.includes(requestId))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(mine[0]).toMatchObject({
      requestId,
      suggestionId: id,
      route: '/api/suggestions/:id',
      status: 200,
    });
    expect(lines).toContain(generated!);
    const all = ['api', 'worker', 'relay', 'notifier', 'tracker']
      .map((s) => readFileSync(path.join(config.dataDir, 'logs', `${s}.log`), 'utf8'))
      .join('\n');
    const cookie = wang['cookie' as keyof ApiSession] as unknown as string;
    const sid = cookie.split('=')[1]!;
    for (const secret of [password, DEMO_PASSWORD, phone, title, sid]) expect(all).not.toContain(secret);
  });
});

// ---- graceful shutdown of real compiled service processes ----------------------------------------

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `dist/<service>.js` (the production build) with its own ports; resolves when /readyz says 200. */
async function startService(service: string, env: Record<string, string>) {
  const ops = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'dist', `${service}.js`)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JIANYI_WORKFLOW_BUNDLE: path.join(root, 'dist', 'workflow-bundle.js'),
      JIANYI_WORKER_SDK_METRICS_ADDRESS: '',
      [`JIANYI_${service.toUpperCase()}_OPS_PORT`]: String(ops),
      JIANYI_APP_NAME: `jianyi-${service}-sigterm-test`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(
    `${service} ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited ${child.exitCode}: ${output}`);
      return (await get(`${opsUrl(service, ops)}/readyz`)).status === 200;
    },
    150_000,
  );
  return { child, exited, ops, output: () => output };
}

// Generous bounds (not timing assertions): a second consumer joining and leaving a group waits for the
// group's rebalance, slow on a loaded machine.
describe('graceful shutdown on SIGTERM', { timeout: 240_000 }, () => {
  it('api: an in-flight request finishes, readiness turns 503, the process exits 0', async () => {
    const port = await freePort();
    const api = await startService('api', { JIANYI_API_PORT: String(port) });
    const body = JSON.stringify({ username: 'wangjianguo', password: DEMO_PASSWORD });
    // The request's headers reach the server (it answers 100 Continue); its body is not sent yet.
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/auth/login',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    response.catch(() => undefined); // awaited below; a refused connection fails the 'continue' wait
    await new Promise<void>((resolve, reject) => {
      req.on('continue', () => resolve());
      req.on('error', reject);
    });
    api.child.kill('SIGTERM');
    await waitFor(
      'not ready while draining',
      async () => (await get(`${opsUrl('api', api.ops)}/readyz`)).status === 503,
    );
    // A new connection is refused: the server no longer accepts.
    await waitFor('no new connections', async () => {
      try {
        await fetch(`http://127.0.0.1:${port}/healthz`);
        return false;
      } catch {
        return true;
      }
    });
    req.end(body);
    const r = await response;
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text).user.username).toBe('wangjianguo');
    expect(await api.exited, api.output()).toBe(0);
    expect(api.output()).toContain('"step":"finish in-flight requests"');
  });

  it('tracker: open SSE streams are ended (the client reconnects elsewhere), the consumer leaves, exit 0', async () => {
    const port = await freePort();
    const tracker = await startService('tracker', { JIANYI_TRACKER_PORT: String(port) });
    const cookie = await sessionCookie('wangjianguo');
    const res = await fetch(`http://127.0.0.1:${port}/events`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const readAll = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString();
      }
    })();
    await waitFor('stream open', async () => text.includes('retry:'));
    tracker.child.kill('SIGTERM');
    await readAll; // the server ended the stream
    expect(text).toContain('event: end\ndata: {"reason":"server-shutdown"}');
    expect(await tracker.exited, tracker.output()).toBe(0);
    expect(tracker.output()).toContain('"step":"kafka consumer: commit and disconnect"');
  });

  for (const service of ['worker', 'relay', 'notifier'] as const)
    it(`${service}: drains and exits 0`, async () => {
      const s = await startService(service, {});
      s.child.kill('SIGTERM');
      expect(await s.exited, s.output()).toBe(0);
      expect(s.output()).toContain('"msg":"stopped"');
      if (service === 'worker') expect(s.output()).toContain('"step":"drain worker"');
    });
});
