/**
 * Outbox relay throughput. Inserts M contract-valid events into the outbox (appendOutbox, batches
 * of 500 per transaction, as the workflow activities do), then observes the stack's own relay
 * process: how long until every row is stamped published (PostgreSQL), and until every event has
 * been read back from Kafka by a fresh consumer group (end to end). The bench only inserts and
 * observes; it never runs a relay itself.
 *
 *   node_modules/.bin/tsx bench/relay-throughput.bench.ts
 *   env: BENCH_EVENTS (M, default 5000), BENCH_BATCH (rows per insert transaction, default 500),
 *        BENCH_SUGGESTIONS (distinct suggestion ids, default 200), BENCH_TIMEOUT_MS (wait after the
 *        inserts, default 60000), BENCH_KEEP_ROWS=1 (keep the bench's outbox rows; default: delete them),
 *        BENCH_BACKLOG=0 (skip the second phase), BENCH_RATE (events/s for the steady phase: transactions of
 *        BENCH_BATCH rows written with appendOutboxMany on a fixed schedule, as many activities writing at
 *        once would; default 0: one transaction after the other, each row by appendOutbox, as fast as
 *        that goes)
 *
 * Phase 1 ("steady") is the figure asked for: the relay publishes while the inserts go on, so its
 * rate is capped by the insert rate. Phase 2 ("backlog") commits another M rows in ONE transaction,
 * so the relay finds them all at once and drains flat out: that is the relay's own capacity.
 *
 * No message can be missed: the partitions' end offsets are read before anything is inserted and
 * the new group is explicitly seeked to them, so it reads exactly what came after.
 * bench/ is not a workspace package, so the platform is imported by relative path.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SuggestionEvent } from '../services/domain/src';
import {
  appendOutbox,
  appendOutboxMany,
  config,
  createKafka,
  openDataSource,
} from '../services/platform/src';
import { envInt, machineInfo, printTable, sleep, statHeader, statRow, stats, writeResults } from './_shared';

const NAME = 'relay-throughput';
const params = {
  events: Math.floor(envInt('BENCH_EVENTS', 5000)),
  batchSize: Math.floor(envInt('BENCH_BATCH', 500)),
  suggestions: Math.floor(envInt('BENCH_SUGGESTIONS', 200)),
  timeoutMs: envInt('BENCH_TIMEOUT_MS', 60_000),
  pollMs: 50,
  keepRows: process.env.BENCH_KEEP_ROWS === '1',
  backlog: (process.env.BENCH_BACKLOG ?? '1') !== '0',
  rate: envInt('BENCH_RATE', 0),
  topic: config.kafka.topic,
  brokers: [...config.kafka.brokers],
  pg: `${config.pg.host}:${config.pg.port}/${config.pg.database}`,
};
const MAX_RUN_MS = envInt('BENCH_MAX_SECONDS', 150) * 1000;

type DataSource = Awaited<ReturnType<typeof openDataSource>>;
type Kafka = ReturnType<typeof createKafka>;
type Consumer = ReturnType<Kafka['consumer']>;

const r1 = (n: number) => Math.round(n * 10) / 10;
const perSec = (n: number, ms: number | null) => (ms && ms > 0 ? Math.round((n / ms) * 1000) : null);

function makeEvents(): SuggestionEvent[] {
  const ids = Array.from({ length: params.suggestions }, () => randomUUID());
  const base = Date.now();
  return Array.from({ length: params.events }, (_, i) => ({
    id: randomUUID(),
    version: 1 as const,
    type: 'suggestion.returned' as const,
    suggestionId: ids[Math.floor(Math.random() * ids.length)]!,
    occurredAt: new Date(base + i).toISOString(),
    actor: { userId: null, role: 'reviewer' },
    policyVersion: 'bench',
    data: {
      from: 'submitted',
      to: 'returned',
      audience: { deputyIds: [], unitIds: [] },
      comments: `基准测试退回意见 #${i}`,
    },
  }));
}

async function unpublishedCount(ds: DataSource, ids: string[]): Promise<number> {
  const rows: { n: number }[] = await ds.query(
    `SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL`,
    [ids],
  );
  return rows[0]!.n;
}

interface Observer {
  consumedAt: Map<string, number>;
  wanted: Set<string>;
  duplicates: number;
  foreign: number;
  waiters: { ids: string[]; done: () => void }[];
}

/**
 * One phase: insert `events` in transactions of `txSize` rows, then wait until all are published
 * (PostgreSQL) and consumed (Kafka). Times are from the start of the inserts and from the last commit.
 */
async function phase(
  ds: DataSource,
  obs: Observer,
  label: string,
  events: SuggestionEvent[],
  txSize: number,
  rate = 0,
) {
  const ids = events.map((e) => e.id);
  for (const id of ids) obs.wanted.add(id);
  const batchOf = new Map(events.map((e, i) => [e.id, Math.floor(i / txSize)]));
  let allConsumed: () => void = () => undefined;
  const allConsumedP = new Promise<void>((r) => (allConsumed = r));
  obs.waiters.push({ ids, done: allConsumed });

  // Inserts: appendOutbox (validates against the zod contract), txSize rows per transaction; at a fixed
  // rate (steady phase with BENCH_RATE) each transaction starts on its schedule, several may be in flight.
  const t0 = performance.now();
  const committedAt: number[] = [];
  const batches = Math.ceil(events.length / txSize);
  const paced = rate > 0;
  const writeBatch = async (b: number) => {
    const slice = events.slice(b * txSize, (b + 1) * txSize);
    await ds.transaction(async (m) => {
      if (paced) await appendOutboxMany(m, slice);
      else for (const e of slice) await appendOutbox(m, e);
    });
    committedAt[b] = performance.now();
  };
  if (paced) {
    const inFlight: Promise<void>[] = [];
    for (let b = 0; b < batches; b++) {
      const due = t0 + ((b * txSize) / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inFlight.push(writeBatch(b));
    }
    await Promise.all(inFlight);
  } else for (let b = 0; b < batches; b++) await writeBatch(b);
  const tInserted = Math.max(...committedAt);

  // Publication (rows stamped by the relay) polled in PostgreSQL, consumption watched in Kafka, concurrently.
  const deadline = tInserted + params.timeoutMs;
  let tPublished: number | null = null;
  let lastUnpublished = events.length;
  const pollPublished = (async () => {
    while (performance.now() < deadline) {
      lastUnpublished = await unpublishedCount(ds, ids);
      if (lastUnpublished === 0) {
        tPublished = performance.now();
        return;
      }
      await sleep(params.pollMs);
    }
  })();
  let tConsumed: number | null = null;
  let consumeTimer: NodeJS.Timeout | undefined;
  const waitConsumed = Promise.race([
    allConsumedP.then(() => {
      tConsumed = Math.max(...ids.map((id) => obs.consumedAt.get(id)!));
    }),
    new Promise<void>((r) => (consumeTimer = setTimeout(r, Math.max(0, deadline - performance.now())))),
  ]);
  await Promise.all([pollPublished, waitConsumed]);
  clearTimeout(consumeTimer);

  // The relay's own view: published_at is now() of its transaction, so one distinct value per batch it sent.
  const db: { first_pub: string | null; last_pub: string | null; batches: number; span_ms: number | null }[] =
    await ds.query(
      `SELECT min(published_at)::text AS first_pub, max(published_at)::text AS last_pub, count(DISTINCT published_at)::int AS batches,
            (extract(epoch FROM max(published_at) - min(published_at)) * 1000)::float8 AS span_ms
       FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NOT NULL`,
      [ids],
    );
  const relayDb = db[0]!;

  const times = ids.flatMap((id) => (obs.consumedAt.has(id) ? [obs.consumedAt.get(id)!] : []));
  const firstConsumed = times.length ? Math.min(...times) : null;
  const lastConsumed = times.length ? Math.max(...times) : null;
  const commitToConsume = ids.flatMap((id) =>
    obs.consumedAt.has(id) ? [obs.consumedAt.get(id)! - committedAt[batchOf.get(id)!]!] : [],
  );
  const insertMs = tInserted - t0;
  const firstCommit = committedAt[0]!;
  const since = (t: number | null, from: number) => (t !== null ? r1(t - from) : null);
  return {
    phase: label,
    events: events.length,
    insert: {
      transactions: committedAt.length,
      rowsPerTransaction: txSize,
      ms: r1(insertMs),
      eventsPerSec: perSec(events.length, insertMs),
      transactionMs: committedAt.map((t, i) => r1(t - (i === 0 ? t0 : committedAt[i - 1]!))),
      targetRate: rate || null,
    },
    publish: {
      complete: tPublished !== null,
      unpublishedAtEnd: lastUnpublished,
      msFromInsertStart: since(tPublished, t0),
      msFromFirstCommit: since(tPublished, firstCommit),
      msAfterLastCommit: since(tPublished, tInserted),
      eventsPerSecFromInsertStart: perSec(events.length, tPublished !== null ? tPublished - t0 : null),
      eventsPerSecFromFirstCommit: perSec(
        events.length,
        tPublished !== null ? tPublished - firstCommit : null,
      ),
      pollIntervalMs: params.pollMs,
      relayBatches: relayDb.batches,
      relayAvgBatch: relayDb.batches ? Math.round((events.length - lastUnpublished) / relayDb.batches) : null,
      relayFirstToLastBatchMs: relayDb.span_ms !== null ? r1(relayDb.span_ms) : null,
      relayFirstPublishedAt: relayDb.first_pub,
      relayLastPublishedAt: relayDb.last_pub,
    },
    endToEnd: {
      complete: tConsumed !== null,
      consumed: times.length,
      missing: events.length - times.length,
      msFromInsertStart: since(tConsumed, t0),
      msFromFirstCommit: since(tConsumed, firstCommit),
      msAfterLastCommit: since(tConsumed, tInserted),
      eventsPerSecFromInsertStart: perSec(events.length, tConsumed !== null ? tConsumed - t0 : null),
      eventsPerSecFromFirstCommit: perSec(events.length, tConsumed !== null ? tConsumed - firstCommit : null),
      firstToLastConsumedMs:
        firstConsumed !== null && lastConsumed !== null ? r1(lastConsumed - firstConsumed) : null,
      commitToConsumeMs: stats(commitToConsume),
    },
  };
}
type PhaseResult = Awaited<ReturnType<typeof phase>>;

async function main() {
  const guard = setTimeout(() => {
    console.error(`[${NAME}] aborted: exceeded ${MAX_RUN_MS / 1000}s`);
    process.exit(1);
  }, MAX_RUN_MS);
  guard.unref();

  console.log(
    `[${NAME}] pg ${params.pg}, kafka ${params.brokers.join(',')} topic ${params.topic}; ${params.events} events in transactions of ${params.batchSize}${params.backlog ? ', then a backlog of as many in one transaction' : ''}`,
  );
  const steadyEvents = makeEvents();
  const backlogEvents = params.backlog ? makeEvents() : [];
  const allIds = [...steadyEvents, ...backlogEvents].map((e) => e.id);

  const ds = await openDataSource({ extra: { max: 4, application_name: 'jianyi-bench-relay' } });
  const kafka = createKafka('jianyi-bench-relay');
  const groupId = `bench-relay-${randomUUID()}`;
  let consumer: Consumer | null = null;
  const phases: PhaseResult[] = [];
  const obs: Observer = { consumedAt: new Map(), wanted: new Set(), duplicates: 0, foreign: 0, waiters: [] };
  let partitions = 0;
  try {
    // Where each partition ends now: everything the bench inserts lands after these offsets.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(params.topic);
    await admin.disconnect();
    partitions = ends.length;

    // A fresh group, explicitly seeked to those ends, records when each of our events is read.
    consumer = kafka.consumer({ groupId });
    const joined = new Promise<void>((r) => consumer!.on(consumer!.events.GROUP_JOIN, () => r()));
    let fetching: () => void = () => undefined;
    const fetchingP = new Promise<void>((r) => (fetching = r));
    consumer.on(consumer.events.FETCH_START, () => fetching());
    await consumer.connect();
    await consumer.subscribe({ topic: params.topic, fromBeginning: false });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const m of batch.messages) {
          const id = m.headers?.['event-id']?.toString();
          if (!id || !obs.wanted.has(id)) {
            obs.foreign += 1;
            continue;
          }
          if (obs.consumedAt.has(id)) obs.duplicates += 1;
          else obs.consumedAt.set(id, now);
        }
        obs.waiters = obs.waiters.filter((w) => {
          if (!w.ids.every((id) => obs.consumedAt.has(id))) return true;
          w.done();
          return false;
        });
      },
    });
    for (const p of ends) consumer.seek({ topic: params.topic, partition: p.partition, offset: p.offset });
    let readyTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([joined, fetchingP]),
      new Promise(
        (_r, rej) =>
          (readyTimer = setTimeout(
            () => rej(new Error('consumer did not join its group within 30 s')),
            30_000,
          )),
      ),
    ]);
    clearTimeout(readyTimer);

    // Phase 1 (the asked-for figure): transactions of batchSize; the relay publishes while we insert.
    phases.push(
      await phase(
        ds,
        obs,
        `steady (${params.batchSize}/tx${params.rate ? `, ${params.rate}/s` : ''})`,
        steadyEvents,
        params.batchSize,
        params.rate,
      ),
    );
    // Phase 2: a backlog committed at once, so the relay drains flat out (its capacity, not our insert rate).
    if (params.backlog)
      phases.push(
        await phase(ds, obs, `backlog (${params.events} in 1 tx)`, backlogEvents, backlogEvents.length),
      );
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    if (!params.keepRows)
      await ds
        .query(`DELETE FROM outbox WHERE event_id = ANY($1::uuid[])`, [allIds])
        .catch((err) => console.warn(`cleanup of outbox rows failed: ${(err as Error).message}`));
    await ds.destroy().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }

  const result = {
    benchmark: NAME,
    machine: machineInfo(),
    params: { ...params, consumerGroup: groupId, partitions },
    kafka: { duplicates: obs.duplicates, otherMessagesOnTopic: obs.foreign },
    phases,
  };

  const fmt = (v: unknown) => (v === null || v === undefined ? 'n/a' : String(v));
  const rows: (string | number)[][] = [];
  for (const p of phases) {
    rows.push([
      `${p.phase}: insert committed`,
      p.events,
      fmt(p.insert.ms),
      '-',
      '-',
      fmt(p.insert.eventsPerSec),
      '-',
    ]);
    rows.push([
      `${p.phase}: all published`,
      p.events - p.publish.unpublishedAtEnd,
      fmt(p.publish.msFromInsertStart),
      fmt(p.publish.msAfterLastCommit),
      fmt(p.publish.msFromFirstCommit),
      fmt(p.publish.eventsPerSecFromInsertStart),
      fmt(p.publish.eventsPerSecFromFirstCommit),
    ]);
    rows.push([
      `${p.phase}: all consumed (e2e)`,
      p.endToEnd.consumed,
      fmt(p.endToEnd.msFromInsertStart),
      fmt(p.endToEnd.msAfterLastCommit),
      fmt(p.endToEnd.msFromFirstCommit),
      fmt(p.endToEnd.eventsPerSecFromInsertStart),
      fmt(p.endToEnd.eventsPerSecFromFirstCommit),
    ]);
  }
  printTable(
    `${NAME}: ${params.events} events per phase, ${params.suggestions} suggestion ids, topic ${params.topic} (${partitions} partitions)`,
    [
      'stage',
      'events',
      'ms from insert start',
      'ms after last commit',
      'ms from first commit',
      'events/s (insert start)',
      'events/s (first commit)',
    ],
    rows,
  );
  printTable(
    'per event',
    statHeader,
    phases.map((p) => statRow(`${p.phase}: commit -> consumed`, p.endToEnd.commitToConsumeMs)),
  );
  console.log('');
  for (const p of phases) {
    console.log(
      `${p.phase}: insert transactions ${p.insert.transactionMs.join(', ')} ms; relay ${fmt(p.publish.relayBatches)} batches (avg ${fmt(p.publish.relayAvgBatch)} rows), first->last batch ${fmt(p.publish.relayFirstToLastBatchMs)} ms (DB clock)`,
    );
  }
  const missing = phases.reduce((n, p) => n + p.endToEnd.missing, 0);
  console.log(
    `kafka: ${missing} missing, ${obs.duplicates} duplicates, ${obs.foreign} other messages on the topic`,
  );
  if (phases.some((p) => !p.publish.complete || !p.endToEnd.complete))
    console.log(`WARNING: not everything arrived within ${params.timeoutMs} ms after the inserts`);
  console.log(`results: ${writeResults(NAME, result)}`);
}

main()
  .catch((err) => {
    console.error(`[${NAME}] failed:`, err);
    process.exitCode = 1;
  })
  .finally(() => {
    setTimeout(() => process.exit(), 3000).unref();
  });
