/**
 * SSE latency: how long from a deputy's API action until the status event reaches a live SSE
 * subscriber. One subscription as `supervisor` (sees every event); at a steady rate, deputies
 * (round robin) create a draft (untimed) and submit it (timed: from just before the POST is sent
 * until `suggestion.submitted` for that suggestion is read off the stream). The path measured is
 * API -> Temporal workflow -> activity (projection + outbox) -> relay -> Kafka -> tracker -> SSE.
 *
 * Then, unless BENCH_REVIEW=0, the reviewer accepts each one at the same rate (also timed until
 * `suggestion.accepted` arrives). With the skeleton workflow that also ends every workflow started
 * here; once the lifecycle continues past `accepted`, they wait at assignment instead.
 *
 * P2 (issue 13): the same at several rates and with many connected SSE clients, each cell of the matrix
 * (rate × clients) with fresh streams. Client 0 is the supervisor; the others are bench supervisors
 * (users written for the run, at most `JIANYI_SSE_MAX_STREAMS_PER_USER` streams each, removed after),
 * so the tracker serves as many users as a real audience would. Every client times every action; the
 * figures are for client 0, for every delivery, and for the last client to get each event. The
 * tracker's resident memory is read with the clients connected, before and after each cell.
 *
 *   node_modules/.bin/tsx bench/sse-latency.bench.ts            5 actions/s, 1 client, 100 actions
 *   BENCH_HEAVY=1 (./dev bench --heavy sse-latency)              P2: 5, 20, 50 actions/s × 1, 100, 1,000 clients
 *   env: BENCH_RATES (actions/s, comma-separated; BENCH_RATE is the same for one), BENCH_CLIENTS
 *        (comma-separated), BENCH_ACTIONS (per cell; default max(100, 10 s of the rate)), BENCH_TIMEOUT_MS
 *        (per event, default 15000), BENCH_WARMUP (untimed actions first, default 4), BENCH_REVIEW (1|0)
 *
 * Addresses come from @jianyi/platform's config (env of the stack), never hard-coded ports.
 * bench/ is not a workspace package, so the platform is imported by relative path.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { config } from '../services/platform/src/config';
import { DEMO_PASSWORD } from '../services/platform/src/db/seed';
import { ApiSession, apiBase } from '../services/platform/src/testing';
import { openDataSource } from '../services/platform/src/db/data-source';
import { createSession } from '../services/platform/src/auth/sessions';
import {
  envInt,
  machineInfo,
  pool,
  printTable,
  serviceRssMiB,
  sleep,
  statHeader,
  statRow,
  stats,
  writeResults,
} from './_shared';

const NAME = 'sse-latency';
const heavy = !!process.env.BENCH_HEAVY;
const list = (name: string, fallback: number[]): number[] => {
  const v = process.env[name];
  if (!v) return fallback;
  const out = v.split(',').map(Number);
  if (out.some((n) => !Number.isFinite(n) || n < 1))
    throw new Error(`${name} must list numbers >= 1, got "${v}"`);
  return out;
};
const params = {
  rates: list('BENCH_RATES', heavy ? [5, 20, 50] : [envInt('BENCH_RATE', 5)]),
  clients: list('BENCH_CLIENTS', heavy ? [1, 100, 1000] : [1]).map(Math.floor),
  actions: process.env.BENCH_ACTIONS ? Math.floor(envInt('BENCH_ACTIONS', 100)) : null,
  timeoutMs: envInt('BENCH_TIMEOUT_MS', 15_000),
  warmup: Math.floor(envInt('BENCH_WARMUP', 4, 0)),
  review: (process.env.BENCH_REVIEW ?? '1') !== '0',
  deputies: ['wangjianguo', 'lixiuying', 'zhangzhiqiang', 'chenlihua'],
  subscriber: 'supervisor',
  reviewer: 'reviewer',
  api: apiBase(),
  tracker: `http://127.0.0.1:${config.tracker.port}/events`,
};
// Hard cap on the whole run, so a wedged stack cannot hang CI.
const MAX_RUN_MS = envInt('BENCH_MAX_SECONDS', heavy ? 1800 : 150) * 1000;

interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}
interface StreamEvent {
  suggestionId: string;
  type: string;
  data?: { to?: string };
}

/**
 * A minimal EventSource over fetch + a streaming reader. Reconnects with Last-Event-ID if the
 * stream drops (the tracker then replays what was missed from the outbox).
 */
class SseClient {
  private ctrl = new AbortController();
  private closed = false;
  private lastId: string | null = null;
  private loop: Promise<void> | null = null;
  connects = 0;
  drops = 0;
  messages = 0;
  private openedResolve!: () => void;
  private openedReject!: (err: Error) => void;
  /** Settles on the first connection: resolved once the server answered 200, rejected if it never did. */
  readonly opened = new Promise<void>((res, rej) => {
    this.openedResolve = res;
    this.openedReject = rej;
  });

  constructor(
    private url: string,
    private cookie: string,
    private onMessage: (m: SseMessage) => void,
  ) {}

  start() {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        const res = await fetch(this.url, {
          headers: {
            accept: 'text/event-stream',
            cookie: this.cookie,
            ...(this.lastId ? { 'last-event-id': this.lastId } : {}),
          },
          signal: this.ctrl.signal,
        });
        if (res.status !== 200 || !res.body)
          throw new Error(`SSE ${this.url} answered ${res.status}: ${await res.text()}`);
        this.connects += 1;
        this.openedResolve();
        await this.read(res.body);
        if (!this.closed) this.drops += 1; // server ended the stream
      } catch (err) {
        if (this.closed) return;
        this.drops += 1;
        if (this.connects === 0) {
          this.openedReject(err as Error); // never connected: fatal
          return;
        }
        console.warn(`[sse] stream error, reconnecting: ${(err as Error).message}`);
      }
      if (!this.closed) await sleep(500);
    }
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let sep: number;
        while ((sep = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          this.dispatch(block);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  private dispatch(block: string) {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // comment (ping)
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== null) this.lastId = id;
    if (data.length === 0) return; // e.g. the initial "retry:" block
    this.messages += 1;
    this.onMessage({ id, event, data: data.join('\n') });
  }

  async close() {
    this.closed = true;
    this.ctrl.abort();
    await this.loop?.catch(() => undefined);
  }
}

/** Logs in with a plain fetch to get the session cookie for the SSE request. */
async function sessionCookie(username: string): Promise<string> {
  const res = await fetch(`${apiBase()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${body}`);
  const sid = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${config.cookieName}=`));
  if (!sid) throw new Error(`login ${username}: no ${config.cookieName} cookie`);
  return sid;
}

/** Pending timings keyed by `${type}:${suggestionId}`; `arrivedAt[k]`: when client k first read it. */
interface Probe {
  sentAt: number;
  responseMs?: number;
  arrivedAt: (number | undefined)[];
  httpStatus?: number;
  error?: string;
}
let probes = new Map<string, Probe>();
let clientCount = 1;
let duplicates = 0;
let unrelated = 0;
let parseErrors = 0;

function onMessage(k: number, m: SseMessage) {
  const now = performance.now();
  if (m.event !== 'suggestion') return;
  let e: StreamEvent;
  try {
    e = JSON.parse(m.data) as StreamEvent;
  } catch {
    parseErrors += 1;
    return;
  }
  const p = probes.get(`${e.type}:${e.suggestionId}`);
  if (!p) {
    unrelated += 1;
    return;
  }
  if (p.arrivedAt[k] !== undefined) duplicates += 1;
  else p.arrivedAt[k] = now;
}

async function createDraft(s: ApiSession, n: number): Promise<string> {
  const r = await s.call(
    'POST',
    '/api/suggestions',
    {
      title: `性能测试建议 #${n}`,
      content: `这是一条由 SSE 延迟基准测试自动生成的建议(第 ${n} 条),用于测量状态推送延迟。`,
    },
    { 'Idempotency-Key': randomUUID() },
  );
  if (r.status !== 201 || typeof r.body?.id !== 'string')
    throw new Error(`create draft failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** Sends one timed action; the probe is registered before the request leaves. */
async function timed(
  key: string,
  send: () => Promise<{ status: number; body: unknown }>,
  expect: number,
): Promise<Probe> {
  const p: Probe = { sentAt: performance.now(), arrivedAt: new Array(clientCount).fill(undefined) };
  probes.set(key, p);
  try {
    const r = await send();
    p.responseMs = performance.now() - p.sentAt;
    p.httpStatus = r.status;
    if (r.status !== expect) p.error = `HTTP ${r.status} ${JSON.stringify(r.body)}`;
  } catch (err) {
    p.responseMs = performance.now() - p.sentAt;
    p.error = (err as Error).message;
  }
  return p;
}

const allArrived = (p: Probe) => p.arrivedAt.every((a) => a !== undefined);

/** Waits until every probe has reached every client or its own timeout passed. */
async function drain(list: Probe[]) {
  for (;;) {
    const now = performance.now();
    const open = list.filter((p) => !p.error && !allArrived(p) && now - p.sentAt < params.timeoutMs);
    if (open.length === 0) return;
    await sleep(20);
  }
}

/** Runs `count` actions at a steady rate (open loop: the next one starts on schedule, not when the last ends). */
async function paced<T>(
  rate: number,
  count: number,
  action: (i: number) => Promise<T>,
): Promise<{ results: PromiseSettledResult<T>[] }> {
  const interval = 1000 / rate;
  const start = performance.now();
  const running: Promise<T>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    running.push(action(i));
  }
  const results = await Promise.allSettled(running);
  return { results };
}

interface PhaseResult {
  attempted: number;
  httpErrors: number;
  /** Actions whose event reached client 0 / every client within the timeout. */
  delivered: number;
  deliveredToAll: number;
  missing: number;
  achievedRatePerSec: number;
  httpResponseMs: ReturnType<typeof stats>;
  /** Client 0 (the supervisor). */
  actionToSseMs: ReturnType<typeof stats>;
  /** Every (action, client) delivery. */
  actionToSseAllClientsMs: ReturnType<typeof stats>;
  /** Per action, the last client to read it. */
  actionToSseLastClientMs: ReturnType<typeof stats>;
  errors: string[];
}

function summarize(list: Probe[], attempted: number, setupErrors: string[]): PhaseResult {
  const ok = list.filter((p) => !p.error);
  // Achieved rate of the timed requests themselves (from the first send to the last).
  const sends = list.map((p) => p.sentAt);
  const span = sends.length > 1 ? (Math.max(...sends) - Math.min(...sends)) / 1000 : 0;
  const within = (p: Probe, a: number | undefined) => a !== undefined && a - p.sentAt <= params.timeoutMs;
  const first = ok.filter((p) => within(p, p.arrivedAt[0])).map((p) => p.arrivedAt[0]! - p.sentAt);
  const every = ok.flatMap((p) => p.arrivedAt.filter((a) => within(p, a)).map((a) => a! - p.sentAt));
  const last = ok
    .filter((p) => p.arrivedAt.every((a) => within(p, a)))
    .map((p) => Math.max(...p.arrivedAt.map((a) => a!)) - p.sentAt);
  return {
    attempted,
    httpErrors: list.length - ok.length + setupErrors.length,
    delivered: first.length,
    deliveredToAll: last.length,
    missing: ok.length - first.length,
    achievedRatePerSec: span > 0 ? Math.round(((sends.length - 1) / span) * 100) / 100 : 0,
    httpResponseMs: stats(ok.map((p) => p.responseMs!)),
    actionToSseMs: stats(first),
    actionToSseAllClientsMs: stats(every),
    actionToSseLastClientMs: stats(last),
    errors: [...setupErrors, ...list.filter((p) => p.error).map((p) => p.error!)].slice(0, 10),
  };
}

/** Session cookies for `n` SSE clients: the supervisor, then bench supervisors written for the run. */
async function subscriberCookies(n: number, tag: string) {
  const cookies = [await sessionCookie(params.subscriber)];
  const per = config.tracker.maxStreamsPerUser;
  const extra = Math.ceil(Math.max(0, n - 1) / per);
  const ds = await openDataSource();
  const ids: string[] = [];
  if (extra > 0) {
    const rows: { id: string }[] = await ds.query(
      `INSERT INTO users (id, username, password_hash, display_name, role)
       SELECT gen_random_uuid(), 'bench-sse-' || $1 || '-' || k, u.password_hash, '基准订阅者' || k, u.role
       FROM generate_series(1, $2::int) AS k, users u WHERE u.username = $3 RETURNING id`,
      [tag, extra, params.subscriber],
    );
    ids.push(...rows.map((r) => r.id));
    const tokens = await pool(ids.length, 8, async (i) => (await createSession(ds, ids[i]!)).token);
    for (let c = 1; c < n; c++) cookies.push(`${config.cookieName}=${tokens[Math.floor((c - 1) / per)]}`);
  }
  return {
    cookies,
    remove: async () => {
      if (ids.length) {
        await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [ids]);
        await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [ids]);
      }
      await ds.destroy();
    },
  };
}

async function runCell(
  rate: number,
  clients: number,
  deputies: ApiSession[],
  reviewer: ApiSession | null,
  cookies: string[],
) {
  probes = new Map();
  clientCount = clients;
  duplicates = unrelated = parseErrors = 0;
  const actions = params.actions ?? Math.max(100, rate * 10);
  const trackerIdle = serviceRssMiB('tracker');
  const streams = cookies
    .slice(0, clients)
    .map((c, k) => new SseClient(params.tracker, c, (m) => onMessage(k, m)));
  for (const s of streams) s.start();
  const closeAll = () => Promise.all(streams.map((s) => s.close()));
  let openTimer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(streams.map((s) => s.opened)),
      new Promise(
        (_r, rej) =>
          (openTimer = setTimeout(
            () => rej(new Error(`the ${clients} SSE streams did not open within 30 s`)),
            30_000,
          )),
      ),
    ]);
  } catch (err) {
    await closeAll();
    throw err;
  } finally {
    clearTimeout(openTimer);
  }
  const trackerConnected = serviceRssMiB('tracker');

  const submitted: string[] = [];
  try {
    // Warm-up (untimed figures): proves every subscription is live end to end and warms the code paths.
    for (let i = 0; i < params.warmup; i++) {
      const s = deputies[i % deputies.length]!;
      const id = await createDraft(s, -1 - i);
      const p = await timed(
        `suggestion.submitted:${id}`,
        () => s.call('POST', `/api/suggestions/${id}/submit`),
        202,
      );
      if (p.error) throw new Error(`warm-up submit failed: ${p.error}`);
      submitted.push(id);
      await drain([p]);
      if (!allArrived(p))
        throw new Error(
          `warm-up: suggestion.submitted for ${id} did not reach every SSE client within ${params.timeoutMs} ms`,
        );
    }
    const warmupIds = new Set(submitted);

    // Phase 1: draft (untimed) + submit (timed), round robin over the deputies.
    const submitErrors: string[] = [];
    const sub = await paced(rate, actions, async (i) => {
      const s = deputies[i % deputies.length]!;
      const id = await createDraft(s, i);
      const p = await timed(
        `suggestion.submitted:${id}`,
        () => s.call('POST', `/api/suggestions/${id}/submit`),
        202,
      );
      if (!p.error) submitted.push(id);
      return p;
    });
    const subProbes = sub.results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const r of sub.results)
      if (r.status === 'rejected') submitErrors.push(String((r.reason as Error)?.message ?? r.reason));
    await drain(subProbes);
    const submitPhase = summarize(subProbes, actions, submitErrors);

    // Phase 2: the reviewer accepts each (timed until suggestion.accepted); nothing is left waiting at review.
    let reviewPhase: PhaseResult | null = null;
    if (reviewer) {
      const ids = [...submitted];
      const rev = await paced(rate, ids.length, async (i) => {
        const id = ids[i]!;
        return timed(
          `suggestion.accepted:${id}`,
          () => reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' }),
          200,
        );
      });
      const revProbes = rev.results.flatMap((r, i) =>
        r.status === 'fulfilled' && !warmupIds.has(ids[i]!) ? [r.value] : [],
      );
      const revWarm = rev.results.flatMap((r, i) =>
        r.status === 'fulfilled' && warmupIds.has(ids[i]!) ? [r.value] : [],
      );
      await drain([...revProbes, ...revWarm]);
      reviewPhase = summarize(revProbes, ids.length - warmupIds.size, []);
    }
    const trackerAfter = serviceRssMiB('tracker');
    return {
      rate,
      clients,
      actions,
      loadavg: machineInfo().loadavg,
      trackerRssMiB: { idle: trackerIdle, connected: trackerConnected, after: trackerAfter },
      submit: submitPhase,
      review: reviewPhase,
      sse: {
        connects: streams.reduce((s, c) => s + c.connects, 0),
        drops: streams.reduce((s, c) => s + c.drops, 0),
        messages: streams.reduce((s, c) => s + c.messages, 0),
        duplicates,
        unrelatedEvents: unrelated,
        parseErrors,
      },
    };
  } finally {
    await closeAll();
  }
}

type Cell = Awaited<ReturnType<typeof runCell>>;

async function main() {
  const guard = setTimeout(() => {
    console.error(`[${NAME}] aborted: exceeded ${MAX_RUN_MS / 1000}s`);
    process.exit(1);
  }, MAX_RUN_MS);
  guard.unref();

  console.log(
    `[${NAME}] api ${params.api}, tracker ${params.tracker}; rates ${params.rates.join(', ')}/s × clients ${params.clients.join(', ')}, timeout ${params.timeoutMs} ms`,
  );
  const deputies = await Promise.all(params.deputies.map((u) => ApiSession.login(u)));
  const reviewer = params.review ? await ApiSession.login(params.reviewer) : null;
  const subs = await subscriberCookies(Math.max(...params.clients), randomUUID().slice(0, 8));
  const cells: Cell[] = [];
  try {
    for (const clients of params.clients)
      for (const rate of params.rates) {
        console.log(`[${NAME}] ${rate} actions/s with ${clients} SSE client(s) …`);
        const cell = await runCell(rate, clients, deputies, reviewer, subs.cookies);
        cells.push(cell);
        for (const e of [...cell.submit.errors, ...(cell.review?.errors ?? [])]) console.log(`  error: ${e}`);
        if (cell.submit.missing || cell.submit.httpErrors || cell.review?.missing || cell.review?.httpErrors)
          console.log('  WARNING: some actions failed or their events never arrived');
        await sleep(2000); // the tracker notices the closed streams
      }
  } finally {
    await subs.remove();
  }

  const ms = (s: ReturnType<typeof stats>) => (s ? `${s.p50} / ${s.p99}` : '-');
  printTable(
    `${NAME}: action → event on the SSE client(s), p50 / p99 ms (client 0 | every delivery | last client)`,
    [
      'rate/s',
      'clients',
      'load',
      'submit: client 0',
      'all',
      'last',
      'accept: client 0',
      'all',
      'last',
      'submit HTTP',
      'accept HTTP',
      'tracker MiB (idle→conn→after)',
      'missing',
    ],
    cells.map((c) => [
      c.rate,
      c.clients,
      c.loadavg[0]!,
      ms(c.submit.actionToSseMs),
      ms(c.submit.actionToSseAllClientsMs),
      ms(c.submit.actionToSseLastClientMs),
      ms(c.review?.actionToSseMs ?? null),
      ms(c.review?.actionToSseAllClientsMs ?? null),
      ms(c.review?.actionToSseLastClientMs ?? null),
      ms(c.submit.httpResponseMs),
      ms(c.review?.httpResponseMs ?? null),
      `${c.trackerRssMiB.idle ?? '-'}→${c.trackerRssMiB.connected ?? '-'}→${c.trackerRssMiB.after ?? '-'}`,
      `${c.submit.missing + c.submit.httpErrors}/${(c.review?.missing ?? 0) + (c.review?.httpErrors ?? 0)}`,
    ]),
  );
  if (cells.length === 1) {
    const c = cells[0]!;
    printTable(`${NAME}: ${c.actions} actions at ${c.rate}/s, ${c.clients} client(s)`, statHeader, [
      statRow('submit: POST -> suggestion.submitted on SSE', c.submit.actionToSseMs),
      statRow('submit: HTTP 202 response', c.submit.httpResponseMs),
      ...(c.review
        ? [
            statRow('review accept: POST -> suggestion.accepted on SSE', c.review.actionToSseMs),
            statRow('review accept: HTTP 200 response', c.review.httpResponseMs),
          ]
        : []),
    ]);
  }
  // The default run keeps its name; the P2 matrix writes its own file.
  const file = cells.length > 1 ? `${NAME}-p2` : NAME;
  console.log(`results: ${writeResults(file, { benchmark: NAME, machine: machineInfo(), params, cells })}`);
}

main()
  .catch((err) => {
    console.error(`[${NAME}] failed:`, err);
    process.exitCode = 1;
  })
  .finally(() => {
    // Everything is closed by now; if some handle still lingers, do not hang the runner.
    setTimeout(() => process.exit(), 3000).unref();
  });
