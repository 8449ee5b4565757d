/**
 * Helpers for the event-contract and reliability tests, against the running test stack
 * (./dev test): drive lifecycle steps through the API, read what the outbox, Kafka, the notifier
 * and an SSE client got, and stop, kill and start single components through the project's own
 * infra scripts.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { noticeCategoryOf, parseEvent, wantsNotice, type SuggestionEvent } from '@jianyi/domain';
import { config, openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, apiBase, waitFor } from '@jianyi/platform/src/testing';
import { recipientPlan } from '../../notifier/src/recipients';

export const JTJ = demoId('unit:JTJ');
export const JYJ = demoId('unit:JYJ');
const ROOT = path.resolve(__dirname, '../../..');
const DATA = process.env.JIANYI_DATA ?? path.join(ROOT, '.data', process.env.JIANYI_ENV ?? 'test');

// ---------- the stack, one component at a time ----------

/**
 * `infra/stack.sh` or `infra/services.sh` with the stack's environment (JIANYI_ENV, port offset).
 * Settles when the script exits, not when its output closes: a started process may keep it open.
 */
function infra(script: 'stack' | 'services', cmd: 'start' | 'stop', name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(ROOT, 'infra', `${script}.sh`), cmd, name], {
      cwd: ROOT,
      env: { ...process.env, JIANYI_ENV: process.env.JIANYI_ENV ?? 'test', JIANYI_ROOT: ROOT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 150_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      if (code === 0) resolve();
      else reject(new Error(`infra/${script}.sh ${cmd} ${name} exited ${code}: ${out.slice(-2000)}`));
    });
  });
}
/** A component of the stack stopped or started (postgres, kafka, temporal) through infra/stack.sh. */
export const infraCmd = infra;
export const stopKafka = () => infra('stack', 'stop', 'kafka');
export const startKafka = () => infra('stack', 'start', 'kafka');
export type Service = 'relay' | 'notifier' | 'tracker' | 'worker' | 'api';
export const startService = (name: Service) => infra('services', 'start', name);
export const stopService = (name: Service) => infra('services', 'stop', name);

function pidOf(name: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(DATA, 'run', `${name}.pid`), 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
export const isRunning = (name: Service) => pidOf(name) !== null;

/** SIGKILL: no shutdown hook runs. The whole process group, since tsx runs node as a child. */
export async function killService(name: Service): Promise<void> {
  const pid = pidOf(name);
  if (pid === null) throw new Error(`${name} is not running`);
  process.kill(-pid, 'SIGKILL');
  await waitFor(
    `${name} to die`,
    async () => {
      try {
        process.kill(-pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    10_000,
  );
}

/** Puts the stack back as the other test files expect it: Kafka up, every service running. */
export async function restoreStack(): Promise<void> {
  await startKafka();
  for (const s of ['relay', 'notifier', 'tracker', 'worker', 'api'] as const)
    if (!isRunning(s)) await startService(s);
}

// ---------- the outbox ----------

export interface OutboxRow {
  id: string;
  eventId: string;
  event: SuggestionEvent;
  publishedAt: Date | null;
}

export async function outboxFor(ds: DataSource, suggestionIds: string[]): Promise<OutboxRow[]> {
  const rows: { id: string; event_id: string; payload: unknown; published_at: Date | null }[] =
    await ds.query(
      `SELECT id::text, event_id, payload, published_at FROM outbox WHERE aggregate_id = ANY($1::uuid[]) ORDER BY outbox.id`,
      [suggestionIds],
    );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    event: parseEvent(r.payload),
    publishedAt: r.published_at,
  }));
}

/**
 * The frame every reliability file shares: the stack restored before and after (also after a
 * failure, since later files need it), a data source, the logged-in cast, a reader of the topic
 * from the beginning and, with `sse`, wangjianguo's SSE client. The fields are set in beforeAll.
 */
export function reliabilityFrame(opts: { sse?: boolean } = {}) {
  const frame = { kafka: new TopicReader() } as {
    ds: DataSource;
    c: Cast;
    kafka: TopicReader;
    sse: SseClient;
  };
  beforeAll(async () => {
    await restoreStack(); // in case an earlier file left something down
    frame.ds = await openDataSource();
    frame.c = await loginCast();
    await frame.kafka.start();
    if (opts.sse) {
      frame.sse = await SseClient.as('wangjianguo');
      await frame.sse.start();
    }
  });
  afterAll(async () => {
    try {
      await restoreStack();
    } finally {
      await frame.sse?.close();
      await frame.kafka.stop();
      await frame.ds?.destroy();
    }
  });
  return frame;
}

export async function unpublishedCount(ds: DataSource): Promise<number> {
  return (await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n;
}

/** In-app notifications these events should give under the notifier's rule, as `eventId/userId` keys. */
export async function expectedInApp(ds: DataSource, events: SuggestionEvent[]): Promise<string[]> {
  // Who is told is the notifier's rule (recipientPlan, unit-tested in services/notifier); what these
  // tests check is that each of those notices exists exactly once, whatever broke on the way.
  // Each user's choice per kind of notice counts too (another test of the same run may have switched one off).
  const users: {
    id: string;
    deputy_id: string | null;
    unit_id: string | null;
    role: string;
    categories: Parameters<typeof wantsNotice>[0];
  }[] = await ds.query(
    `SELECT u.id, u.deputy_id, u.unit_id, u.role, COALESCE(p.categories, '{}'::jsonb) AS categories
       FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.active`,
  );
  return events
    .flatMap((e) => {
      const p = recipientPlan(e);
      const category = noticeCategoryOf(e.type);
      return users
        .filter(
          (u) =>
            u.id !== e.actor.userId &&
            wantsNotice(u.categories, category, 'in_app') &&
            ((u.deputy_id && p.deputyIds.includes(u.deputy_id)) ||
              (u.unit_id && p.unitIds.includes(u.unit_id)) ||
              (u.role === 'unit_leader' && u.unit_id && p.unitLeaderUnitIds.includes(u.unit_id)) ||
              p.roles.includes(u.role as never) ||
              p.userIds.includes(u.id)),
        )
        .map((u) => `${e.id}/${u.id}`);
    })
    .sort();
}

/** In-app notification rows for these events, one `eventId/userId` key per row (duplicates kept). */
export async function inAppRows(ds: DataSource, eventIds: string[]): Promise<string[]> {
  const rows: { event_id: string; user_id: string }[] = await ds.query(
    `SELECT event_id, user_id FROM notifications WHERE channel = 'in_app' AND event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return rows.map((r) => `${r.event_id}/${r.user_id}`).sort();
}

// ---------- Kafka, read from the beginning with a fresh group ----------

export interface KafkaRecord {
  eventId: string;
  outboxId: string;
  key: string;
  partition: number;
  offset: string;
  event: SuggestionEvent;
}

export class TopicReader {
  readonly records: KafkaRecord[] = [];
  private consumer: Consumer | null = null;

  async start(): Promise<void> {
    // Quiet: the tests stop Kafka on purpose, and the client's reconnect errors are expected.
    const kafka = new Kafka({
      clientId: `reliability-${randomUUID().slice(0, 8)}`,
      brokers: [...config.kafka.brokers],
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, retries: 50 },
    });
    this.consumer = kafka.consumer({ groupId: `reliability-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        // The topic also carries constituent messages' events (一码通); these tests follow suggestions.
        if (!(JSON.parse(message.value!.toString()) as { type?: string }).type?.startsWith('suggestion.'))
          return;
        this.records.push({
          eventId: message.headers!['event-id']!.toString(),
          outboxId: message.headers!['outbox-id']!.toString(),
          key: message.key!.toString(),
          partition,
          offset: message.offset,
          event: parseEvent(JSON.parse(message.value!.toString())),
        });
      },
    });
  }

  /** How many times each event id arrived. */
  counts(eventIds: Iterable<string>): Map<string, number> {
    const want = new Set(eventIds);
    const m = new Map<string, number>([...want].map((id) => [id, 0]));
    for (const r of this.records) if (want.has(r.eventId)) m.set(r.eventId, m.get(r.eventId)! + 1);
    return m;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

// ---------- an SSE client of the tracker ----------

export interface SseEvent {
  sseId: string;
  event: SuggestionEvent;
}

/** A minimal EventSource over fetch: reconnects with Last-Event-ID when its stream drops or is dropped. */
export class SseClient {
  readonly received: SseEvent[] = [];
  lastId: string | null = null;
  connects = 0;
  private ctrl = new AbortController();
  private closed = false;
  private loop: Promise<void> | null = null;

  constructor(
    private cookie: string,
    private url = `http://127.0.0.1:${config.tracker.port}/events`,
  ) {}

  static async as(username: string): Promise<SseClient> {
    const res = await fetch(`${apiBase()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    const sid = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith(`${config.cookieName}=`));
    if (!sid) throw new Error(`login ${username}: no session cookie`);
    return new SseClient(sid);
  }

  async start(): Promise<void> {
    this.loop = this.run();
    await waitFor('the SSE stream to open', async () => this.connects > 0);
  }

  /** Cuts the current connection (as a network drop would); the client reconnects soon, or once `until` settles. */
  drop(until?: Promise<unknown>): void {
    this.hold = until ?? null;
    this.ctrl.abort();
  }
  private hold: Promise<unknown> | null = null;

  /** Events for these suggestions, as received. */
  about(suggestionIds: string[]): SseEvent[] {
    return this.received.filter((r) => suggestionIds.includes(r.event.suggestionId));
  }

  private async run(pauseMs = 300): Promise<void> {
    while (!this.closed) {
      this.ctrl = new AbortController();
      try {
        const res = await fetch(this.url, {
          headers: {
            accept: 'text/event-stream',
            cookie: this.cookie,
            ...(this.lastId ? { 'last-event-id': this.lastId } : {}),
          },
          signal: this.ctrl.signal,
        });
        if (res.status !== 200 || !res.body) throw new Error(`SSE answered ${res.status}`);
        this.connects += 1;
        await this.read(res.body);
      } catch {
        // dropped, aborted or refused: reconnect below
      }
      if (!this.closed) await new Promise((r) => setTimeout(r, pauseMs));
      if (this.hold) await this.hold.catch(() => undefined);
      this.hold = null;
    }
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let sep: number;
      while ((sep = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, sep);
        buf = buf.slice(sep + 2);
        let id: string | null = null;
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (id === null || !data) continue;
        this.lastId = id;
        // Constituent messages' events (SSE `event: intake`) are not suggestions' steps.
        if (!(JSON.parse(data) as { type?: string }).type?.startsWith('suggestion.')) continue;
        this.received.push({ sseId: id, event: parseEvent(JSON.parse(data)) });
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ctrl.abort();
    await this.loop?.catch(() => undefined);
  }
}

// ---------- lifecycle steps through the API ----------

export interface Cast {
  wang: ApiSession;
  li: ApiSession;
  reviewer: ApiSession;
  coordinator: ApiSession;
  supervisor: ApiSession;
  jtj: ApiSession;
  jtjLeader: ApiSession;
  jyj: ApiSession;
}
export async function loginCast(): Promise<Cast> {
  const names = [
    'wangjianguo',
    'lixiuying',
    'reviewer',
    'coordinator',
    'supervisor',
    'jtj.handler',
    'jtj.leader',
    'jyj.handler',
  ] as const;
  const [wang, li, reviewer, coordinator, supervisor, jtj, jtjLeader, jyj] = await Promise.all(
    names.map((n) => ApiSession.login(n)),
  );
  return {
    wang: wang!,
    li: li!,
    reviewer: reviewer!,
    coordinator: coordinator!,
    supervisor: supervisor!,
    jtj: jtj!,
    jtjLeader: jtjLeader!,
    jyj: jyj!,
  };
}

/** One suggestion driven step by step; each call waits until the step is recorded, so the order of events is known. */
export class Item {
  private constructor(
    readonly id: string,
    private c: Cast,
    private deputy: ApiSession,
  ) {}

  static async draft(
    c: Cast,
    deputy: ApiSession = c.wang,
    title = `关于优化公交线路的建议 ${randomUUID().slice(0, 6)}`,
  ): Promise<Item> {
    const r = await deputy.call(
      'POST',
      '/api/suggestions',
      { title, content: '新建小区公交覆盖不足,早晚高峰换乘不便,建议增设接驳线路并优化发车间隔。' },
      { 'Idempotency-Key': randomUUID() },
    );
    if (r.status !== 201) throw new Error(`create draft: ${r.status} ${JSON.stringify(r.body)}`);
    return new Item(r.body.id, c, deputy);
  }

  async status(): Promise<string> {
    return (await this.c.supervisor.call('GET', `/api/suggestions/${this.id}`)).body.status;
  }
  async until(status: string): Promise<void> {
    await waitFor(`${this.id} ${status}`, async () => (await this.status()) === status, 30_000);
  }
  private async ok(what: string, p: Promise<{ status: number; body: unknown }>): Promise<void> {
    const r = await p;
    if (r.status < 200 || r.status > 299)
      throw new Error(`${what} on ${this.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  private call(s: ApiSession, p: string, body?: unknown) {
    return s.call('POST', `/api/suggestions/${this.id}${p}`, body);
  }
  /** A unit step; the unit's child workflow may still be starting, so a 404 is retried. */
  private async unit(s: ApiSession, unitId: string, p: string, body?: unknown): Promise<void> {
    let last: { status: number; body: unknown } = { status: 0, body: null };
    await waitFor(`${p} by ${unitId} on ${this.id}`, async () => {
      last = await this.call(s, `/units/${unitId}/${p}`, body);
      if (last.status === 200) return true;
      if (last.status === 404) return false;
      throw new Error(`${last.status} ${JSON.stringify(last.body)}`);
    });
  }

  async submit() {
    await this.ok('submit', this.call(this.deputy, '/submit'));
    await this.until('submitted');
  }
  async returnForRevision() {
    await this.ok(
      'return',
      this.call(this.c.reviewer, '/review', { decision: 'return', comments: '请补充具体线路和站点。' }),
    );
  }
  async resubmit() {
    await this.ok('resubmit', this.call(this.deputy, '/resubmit'));
  }
  async accept() {
    await this.ok('accept', this.call(this.c.reviewer, '/review', { decision: 'accept' }));
  }
  async keySupervision() {
    await this.ok('key supervision', this.call(this.c.supervisor, '/key-supervision', {}));
  }
  async assign(coUnit = true) {
    await this.ok(
      'assign',
      this.call(this.c.coordinator, '/assign', {
        mode: 'lead',
        leadUnitId: JTJ,
        coUnitIds: coUnit ? [JYJ] : [],
      }),
    );
    await this.until('assigned');
  }
  /** The lead unit signs in; the first sign-in starts handling. */
  async leadSignIn(first = true) {
    await this.unit(this.c.jtj, JTJ, 'sign-in');
    if (first) await this.until('handling');
  }
  async urge() {
    await this.ok('urge', this.call(this.c.coordinator, '/urge', { note: '请加快办理进度', unitId: JTJ }));
  }
  async requestExtension() {
    await this.unit(this.c.jtj, JTJ, 'requests', {
      kind: 'extension',
      reason: '需会同多部门调研论证',
      amount: { amount: 1, unit: 'months' },
    });
  }
  async decideExtension() {
    await this.ok(
      'extension decision',
      this.call(this.c.reviewer, `/units/${JTJ}/requests/decision`, {
        approve: true,
        note: '同意延期一个月',
      }),
    );
  }
  async contact() {
    await this.unit(this.c.jtj, JTJ, 'contacts', {
      contactedOn: '2026-11-25',
      form: '电话',
      summary: '电话听取代表对线路调整的意见',
    });
  }
  async coSignIn() {
    await this.unit(this.c.jyj, JYJ, 'sign-in');
  }
  async coOpinion() {
    await this.unit(this.c.jyj, JYJ, 'opinion', { body: '建议结合学校上下学时间调整班次。' });
  }
  async draftReply(category: 'A' | 'B' = 'A') {
    await this.unit(
      this.c.jtj,
      JTJ,
      'reply',
      category === 'A'
        ? { category, body: '已新开接驳线路两条并加密高峰班次。' }
        : { category, body: '已将线路优化列入明年计划。', promisedDate: '2027-06-30' },
    );
  }
  async signOff() {
    await this.unit(this.c.jtjLeader, JTJ, 'reply/sign-off');
  }
  async send() {
    await this.unit(this.c.jtj, JTJ, 'reply/send');
    await this.until('replied');
  }
  async rate(rating: 'satisfied' | 'unsatisfied') {
    await this.ok(
      'rate',
      this.call(this.deputy, '/rate', {
        rating,
        ...(rating === 'unsatisfied' ? { comment: '接驳线路覆盖仍不够' } : {}),
      }),
    );
    await this.until(rating === 'unsatisfied' ? 'rehandling' : 'published');
  }
}

/** A short handling run for load: submit → accept → assign → sign-in → contact → reply → sign-off → send → 满意. */
export const shortRun: ((i: Item) => Promise<void>)[] = [
  (i) => i.submit(),
  (i) => i.accept(),
  (i) => i.assign(false),
  (i) => i.leadSignIn(),
  (i) => i.urge(),
  (i) => i.contact(),
  (i) => i.draftReply(),
  (i) => i.signOff(),
  (i) => i.send(),
  (i) => i.rate('satisfied'),
];
/** Events the short run writes, in order. */
export const shortRunEvents = [
  'suggestion.submitted',
  'suggestion.accepted',
  'suggestion.assigned',
  'suggestion.signed_in',
  'suggestion.handling_started',
  'suggestion.urged',
  'suggestion.contact_logged',
  'suggestion.reply_drafted',
  'suggestion.reply_signed',
  'suggestion.reply_sent',
  'suggestion.replied',
  'suggestion.rated',
  'suggestion.closed',
  'suggestion.published',
];

/** A synthetic event of the contract for an existing suggestion (a burst, to have batches to crash in). */
/** A 催办 event written straight to the outbox (for bursts); with `unitId` it urges that unit, whose users are notified. */
export function urgeEvent(
  suggestionId: string,
  status: string,
  n: number,
  deputyId: string,
  unitId: string | null = null,
): SuggestionEvent {
  return {
    id: randomUUID(),
    version: 1,
    type: 'suggestion.urged',
    suggestionId,
    occurredAt: new Date().toISOString(),
    actor: { userId: null, role: 'coordinator' },
    policyVersion: 'national-default@2026.1',
    data: {
      from: status,
      to: status,
      audience: { deputyIds: [deputyId], unitIds: unitId ? [unitId] : [] },
      unitId,
      note: `第${n}次催办`,
    },
  } as SuggestionEvent;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
