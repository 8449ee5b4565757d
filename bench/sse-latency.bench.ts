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
 *   node_modules/.bin/tsx bench/sse-latency.bench.ts
 *   env: BENCH_RATE (actions/s, default 5), BENCH_ACTIONS (default 100), BENCH_TIMEOUT_MS
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
import { envInt, machineInfo, printTable, sleep, statHeader, statRow, stats, writeResults } from './_shared';

const NAME = 'sse-latency';
const params = {
  rate: envInt('BENCH_RATE', 5),
  actions: Math.floor(envInt('BENCH_ACTIONS', 100)),
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
const MAX_RUN_MS = envInt('BENCH_MAX_SECONDS', 150) * 1000;

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

/** Pending timings keyed by `${type}:${suggestionId}`. */
interface Probe {
  sentAt: number;
  responseMs?: number;
  arrivedAt?: number;
  httpStatus?: number;
  error?: string;
}
const probes = new Map<string, Probe>();
let duplicates = 0;
let unrelated = 0;
let parseErrors = 0;

function onMessage(m: SseMessage) {
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
  if (p.arrivedAt !== undefined) duplicates += 1;
  else p.arrivedAt = now;
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
  const p: Probe = { sentAt: performance.now() };
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

/** Waits until every probe has arrived or its own timeout passed. */
async function drain(list: Probe[]) {
  for (;;) {
    const now = performance.now();
    const open = list.filter(
      (p) => !p.error && p.arrivedAt === undefined && now - p.sentAt < params.timeoutMs,
    );
    if (open.length === 0) return;
    await sleep(20);
  }
}

/** Runs `count` actions at a steady rate (open loop: the next one starts on schedule, not when the last ends). */
async function paced<T>(
  count: number,
  action: (i: number) => Promise<T>,
): Promise<{ results: PromiseSettledResult<T>[] }> {
  const interval = 1000 / params.rate;
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
  delivered: number;
  missing: number;
  achievedRatePerSec: number;
  httpResponseMs: ReturnType<typeof stats>;
  actionToSseMs: ReturnType<typeof stats>;
  errors: string[];
}

function summarize(list: Probe[], attempted: number, setupErrors: string[]): PhaseResult {
  const ok = list.filter((p) => !p.error);
  // Achieved rate of the timed requests themselves (from the first send to the last).
  const sends = list.map((p) => p.sentAt);
  const span = sends.length > 1 ? (Math.max(...sends) - Math.min(...sends)) / 1000 : 0;
  const lat = ok
    .filter((p) => p.arrivedAt !== undefined && p.arrivedAt - p.sentAt <= params.timeoutMs)
    .map((p) => p.arrivedAt! - p.sentAt);
  return {
    attempted,
    httpErrors: list.length - ok.length + setupErrors.length,
    delivered: lat.length,
    missing: ok.length - lat.length,
    achievedRatePerSec: span > 0 ? Math.round(((sends.length - 1) / span) * 100) / 100 : 0,
    httpResponseMs: stats(ok.map((p) => p.responseMs!)),
    actionToSseMs: stats(lat),
    errors: [...setupErrors, ...list.filter((p) => p.error).map((p) => p.error!)].slice(0, 10),
  };
}

async function main() {
  const guard = setTimeout(() => {
    console.error(`[${NAME}] aborted: exceeded ${MAX_RUN_MS / 1000}s`);
    process.exit(1);
  }, MAX_RUN_MS);
  guard.unref();

  console.log(
    `[${NAME}] api ${params.api}, tracker ${params.tracker}; ${params.actions} actions at ${params.rate}/s, timeout ${params.timeoutMs} ms`,
  );
  const deputies = await Promise.all(params.deputies.map((u) => ApiSession.login(u)));
  const reviewer = params.review ? await ApiSession.login(params.reviewer) : null;

  const sse = new SseClient(params.tracker, await sessionCookie(params.subscriber), onMessage);
  sse.start();
  let openTimer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sse.opened,
      new Promise(
        (_r, rej) =>
          (openTimer = setTimeout(() => rej(new Error('SSE stream did not open within 10 s')), 10_000)),
      ),
    ]);
  } catch (err) {
    await sse.close();
    throw err;
  } finally {
    clearTimeout(openTimer);
  }

  const submitted: string[] = [];
  let result: Record<string, unknown> | null = null;
  try {
    // Warm-up (untimed figures): proves the subscription is live end to end and warms the code paths.
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
      if (p.arrivedAt === undefined)
        throw new Error(
          `warm-up: suggestion.submitted for ${id} did not arrive on the SSE stream within ${params.timeoutMs} ms`,
        );
    }
    const warmupIds = new Set(submitted);

    // Phase 1: draft (untimed) + submit (timed), round robin over the deputies.
    const submitErrors: string[] = [];
    const sub = await paced(params.actions, async (i) => {
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
    const submitPhase = summarize(subProbes, params.actions, submitErrors);

    // Phase 2: the reviewer accepts each (timed until suggestion.accepted); nothing is left waiting at review.
    let reviewPhase: PhaseResult | null = null;
    if (reviewer) {
      const ids = [...submitted];
      const rev = await paced(ids.length, async (i) => {
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

    result = {
      benchmark: NAME,
      machine: machineInfo(),
      params,
      submit: submitPhase,
      review: reviewPhase,
      sse: {
        connects: sse.connects,
        drops: sse.drops,
        messages: sse.messages,
        duplicates,
        unrelatedEvents: unrelated,
        parseErrors,
      },
    };
  } finally {
    await sse.close();
  }

  const r = result as { submit: PhaseResult; review: PhaseResult | null };
  printTable(
    `${NAME}: ${params.actions} actions at ${params.rate}/s (deputies round robin, 1 SSE subscriber as ${params.subscriber})`,
    statHeader,
    [
      statRow('submit: POST -> suggestion.submitted on SSE', r.submit.actionToSseMs),
      statRow('submit: HTTP 202 response', r.submit.httpResponseMs),
      ...(r.review
        ? [
            statRow('review accept: POST -> suggestion.accepted on SSE', r.review.actionToSseMs),
            statRow('review accept: HTTP 200 response', r.review.httpResponseMs),
          ]
        : []),
    ],
  );
  printTable(
    'delivery',
    [
      'phase',
      'attempted',
      'http errors',
      'delivered',
      `missing (>${params.timeoutMs} ms)`,
      'achieved rate/s',
    ],
    [
      [
        'submit',
        r.submit.attempted,
        r.submit.httpErrors,
        r.submit.delivered,
        r.submit.missing,
        r.submit.achievedRatePerSec,
      ],
      ...(r.review
        ? [
            [
              'review accept',
              r.review.attempted,
              r.review.httpErrors,
              r.review.delivered,
              r.review.missing,
              r.review.achievedRatePerSec,
            ],
          ]
        : []),
    ],
  );
  console.log(
    `\nSSE: ${sse.connects} connect(s), ${sse.drops} drop(s), ${sse.messages} messages, ${duplicates} duplicates, ${unrelated} unrelated events`,
  );
  for (const e of [...r.submit.errors, ...(r.review?.errors ?? [])]) console.log(`  error: ${e}`);
  if (r.submit.missing || r.submit.httpErrors || r.review?.missing || r.review?.httpErrors)
    console.log('WARNING: some actions failed or their events never arrived (see above)');
  console.log(`results: ${writeResults(NAME, result)}`);
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
