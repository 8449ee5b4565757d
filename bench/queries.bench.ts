/**
 * P3 queries at scale: loads N suggestions in realistic states (bench/load-scale.ts, set-based SQL),
 * then times every list, inbox, supervision, statistics, export and public-search endpoint through
 * the API as the role who uses it, and prints the plan (EXPLAIN ANALYZE) of the slowest query
 * behind the slowest endpoint.
 *
 *   node_modules/.bin/tsx bench/queries.bench.ts                    (100,000 items: a few minutes)
 *   node_modules/.bin/tsx bench/queries.bench.ts --items 1000000    (the scale; the load alone takes minutes)
 *   env: BENCH_SAMPLES (default 20 per endpoint), BENCH_BUDGET_SECONDS (default 10 per endpoint: an
 *   endpoint slower than that is sampled fewer times, at least once), BENCH_SKIP_LOAD=1 (time what is there)
 *
 * The load is additive and idempotent (see load-scale.ts); run by `./dev bench` on the test stack.
 * The slowest statement is found by switching `log_min_duration_statement` to 0 for one call
 * (ALTER SYSTEM + reload, reset afterwards) and reading it back from the PostgreSQL log.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD, demoId } from '../services/platform/src/db/seed';
import { openDataSource } from '../services/platform/src';
import { ApiSession } from '../services/platform/src/testing';
import {
  envInt,
  machineInfo,
  printTable,
  statHeader,
  statRow,
  stats,
  writeResults,
  type Stats,
} from './_shared';
import { itemsArg, loadScale, pgClient } from './load-scale';

/**
 * The cluster's superuser (ALTER SYSTEM, cancelling the API's statements): neither the services' role
 * nor the schema owner may (issue 10). Its password is in the local stack's credentials file.
 */
async function superuserClient() {
  const dataDir =
    process.env.JIANYI_DATA ?? path.resolve(__dirname, '../.data', process.env.JIANYI_ENV ?? 'test');
  const line = readFileSync(path.join(dataDir, 'postgres.credentials'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres '));
  const ds = await openDataSource({ username: 'postgres', password: line?.split(' ')[1]?.trim() }, 'owner');
  return {
    query: (sql: string) => ds.query(sql) as Promise<unknown>,
    end: () => ds.destroy(),
  };
}

const NAME = 'queries';
const SAMPLES = Math.floor(envInt('BENCH_SAMPLES', 20));
const BUDGET_MS = envInt('BENCH_BUDGET_SECONDS', 10) * 1000;
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_SECONDS', 120) * 1000;
/** Start at the endpoint whose name contains this (to finish an interrupted run). */
const FROM = process.env.BENCH_FROM;
const JTJ = demoId('unit:JTJ');

type Who = 'reviewer' | 'supervisor' | 'unit' | 'deputy' | 'public';
interface Endpoint {
  name: string;
  who: Who;
  path: string;
}

const endpoints: Endpoint[] = [
  // Lists (GET /api/suggestions): the reviewer's first page as the web asks for it, each filter, a deep page.
  {
    name: 'list: reviewer first page (updatedAt)',
    who: 'reviewer',
    path: '/api/suggestions?sort=updatedAt&pageSize=20',
  },
  { name: 'list: reviewer default (createdAt)', who: 'reviewer', path: '/api/suggestions' },
  { name: 'list: status=handling', who: 'reviewer', path: '/api/suggestions?status=handling&sort=updatedAt' },
  {
    name: 'list: status=accepted by reg.no (交办会 page)',
    who: 'reviewer',
    path: '/api/suggestions?status=accepted&sort=registrationNo&order=asc&pageSize=200',
  },
  { name: 'list: unit=JTJ', who: 'reviewer', path: `/api/suggestions?unitId=${JTJ}` },
  { name: 'list: town', who: 'reviewer', path: `/api/suggestions?town=${encodeURIComponent('戴埠镇')}` },
  { name: 'list: session 2025', who: 'reviewer', path: '/api/suggestions?sessionYear=2025' },
  { name: 'list: overdue', who: 'reviewer', path: '/api/suggestions?overdue=true' },
  { name: 'list: key items', who: 'reviewer', path: '/api/suggestions?key=true' },
  { name: 'list: page 500', who: 'reviewer', path: '/api/suggestions?page=500' },
  { name: 'list: keyword 停车', who: 'reviewer', path: `/api/suggestions?q=${encodeURIComponent('停车')}` },
  { name: 'list: a deputy (own + co-signed)', who: 'deputy', path: '/api/suggestions' },
  { name: 'list: a unit user (own unit)', who: 'unit', path: '/api/suggestions' },
  // Workbench.
  { name: 'unit inbox (JTJ)', who: 'unit', path: '/api/unit-inbox' },
  // As the web asks for it (UnitInbox.svelte), and the open parts only.
  {
    name: 'unit inbox (JTJ), web page',
    who: 'unit',
    path: '/api/unit-inbox?sort=assignedAt&order=desc&page=1&pageSize=20',
  },
  { name: 'unit inbox (JTJ), open parts', who: 'unit', path: '/api/unit-inbox?state=open' },
  // Supervision.
  { name: 'supervision: overdue', who: 'supervisor', path: '/api/supervision/overdue?pageSize=50' },
  {
    name: 'supervision: at-risk 5 days',
    who: 'supervisor',
    path: '/api/supervision/at-risk?days=5&pageSize=50',
  },
  { name: 'supervision: overdue, unit JTJ', who: 'unit', path: '/api/supervision/overdue?pageSize=50' },
  {
    name: 'supervision: at-risk 5 days, unit JTJ',
    who: 'unit',
    path: '/api/supervision/at-risk?days=5&pageSize=50',
  },
  {
    name: 'supervision: overdue, unit JTJ chosen by the supervisor',
    who: 'supervisor',
    path: `/api/supervision/overdue?pageSize=50&unitId=${JTJ}`,
  },
  // Statistics.
  { name: 'stats: by unit', who: 'reviewer', path: '/api/stats?by=unit' },
  { name: 'stats: by town', who: 'reviewer', path: '/api/stats?by=town' },
  { name: 'stats: by session', who: 'reviewer', path: '/api/stats?by=session' },
  { name: 'stats: by unit, session 2026', who: 'reviewer', path: '/api/stats?by=unit&sessionYear=2026' },
  { name: 'stats: by town, unit JTJ', who: 'unit', path: '/api/stats?by=town' },
  { name: 'stats: drill-down unit JTJ', who: 'reviewer', path: `/api/stats/items?by=unit&key=${JTJ}` },
  {
    name: 'stats: drill-down town',
    who: 'reviewer',
    path: `/api/stats/items?by=town&key=${encodeURIComponent('戴埠镇')}`,
  },
  { name: 'stats: drill-down unit JTJ, page 20', who: 'unit', path: '/api/stats/items?by=unit&page=20' },
  { name: 'stats: trend 12 months', who: 'reviewer', path: '/api/stats/trend' },
  { name: 'stats: trend 12 months, unit JTJ', who: 'unit', path: '/api/stats/trend' },
  // Exports.
  {
    name: 'export: 交办清单 JTJ 2026',
    who: 'unit',
    path: '/api/exports/assignment-list.xlsx?sessionYear=2026',
  },
  { name: 'export: 统计表 by unit', who: 'reviewer', path: '/api/exports/stats.xlsx?by=unit' },
  // Public pages (no login).
  { name: 'public: first page', who: 'public', path: '/api/public/replies' },
  {
    name: 'public: keyword 停车',
    who: 'public',
    path: `/api/public/replies?q=${encodeURIComponent('停车')}`,
  },
  { name: 'public: unit JTJ', who: 'public', path: `/api/public/replies?unitId=${JTJ}` },
  {
    name: 'public: session 2024, page 100',
    who: 'public',
    path: '/api/public/replies?sessionYear=2024&page=100',
  },
  { name: 'public: facets', who: 'public', path: '/api/public/facets' },
];

class TimedOut extends Error {}

/**
 * One call; past TIMEOUT_MS the API's statements still running are cancelled (pg_cancel_backend),
 * so a query given up on does not slow down the next endpoint, and the call counts as timed out.
 */
async function timeOne(s: ApiSession, path: string): Promise<number> {
  const t = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void (async () => {
        const c = await superuserClient();
        await c.query(
          `SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND state = 'active' AND application_name NOT LIKE 'jianyi-bench%' AND query_start < now() - interval '1 second'`,
        );
        await c.end();
      })().finally(() => reject(new TimedOut(`${path}: no answer within ${TIMEOUT_MS / 1000} s`)));
    }, TIMEOUT_MS);
  });
  try {
    const r = await Promise.race([
      s.call('GET', path).catch(() => ({ status: 0, body: 'connection failed' })),
      timeout,
    ]);
    const ms = performance.now() - t;
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return ms;
  } finally {
    clearTimeout(timer);
  }
}

/** Samples one endpoint: one warm-up call, then up to SAMPLES calls within the budget (at least one). */
async function sample(s: ApiSession, path: string): Promise<number[]> {
  let warm: number;
  try {
    warm = await timeOne(s, path);
  } catch (err) {
    if (err instanceof TimedOut) return [TIMEOUT_MS];
    throw err;
  }
  if (warm > BUDGET_MS / 2) return [warm];
  const out: number[] = [];
  const start = performance.now();
  while (out.length < SAMPLES && (out.length === 0 || performance.now() - start < BUDGET_MS))
    out.push(await timeOne(s, path));
  return out;
}

/** The slowest statement of one call of `path`, with its parameters put in, from the PostgreSQL log. */
async function slowestStatement(s: ApiSession, path: string): Promise<{ ms: number; sql: string } | null> {
  const logFile = path_.join(
    process.env.JIANYI_LOGS ?? path_.resolve(__dirname, '../.data', process.env.JIANYI_ENV ?? 'test', 'logs'),
    'postgres.log',
  );
  const c = await superuserClient();
  try {
    const offset = statSync(logFile).size;
    await c.query(`ALTER SYSTEM SET log_min_duration_statement = 0`);
    await c.query(`SELECT pg_reload_conf()`);
    await new Promise((r) => setTimeout(r, 300));
    try {
      await timeOne(s, path);
    } finally {
      await c.query(`ALTER SYSTEM RESET log_min_duration_statement`);
      await c.query(`SELECT pg_reload_conf()`);
    }
    const text = readFileSync(logFile, 'utf8').slice(0); // small in tests; read whole and cut by bytes below
    const tail = Buffer.from(text).subarray(offset).toString('utf8');
    const entries = tail.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[\d+\] )/);
    let best: { ms: number; sql: string } | null = null;
    for (let i = 0; i < entries.length; i++) {
      const m = /\] LOG:\s+duration: ([\d.]+) ms\s+(?:execute [^:]*|statement): ([\s\S]*)$/.exec(entries[i]!);
      if (!m) continue;
      let sql = m[2]!.trim();
      if (/^(BEGIN|COMMIT|SELECT pg_reload_conf|ALTER SYSTEM)/i.test(sql)) continue;
      const detail = entries[i + 1] && /\] DETAIL:\s+parameters: ([\s\S]*)$/.exec(entries[i + 1]!);
      if (detail) {
        const vals = new Map<number, string>();
        for (const p of detail[1]!.matchAll(/\$(\d+) = (NULL|'((?:[^']|'')*)')/g))
          vals.set(Number(p[1]), p[2] === 'NULL' ? 'NULL' : `'${p[3]}'`);
        sql = sql.replace(/\$(\d+)(?!\d)/g, (all, n) => vals.get(Number(n)) ?? all);
      }
      const ms = Number(m[1]);
      if (!best || ms > best.ms) best = { ms, sql };
    }
    return best;
  } finally {
    await c.end();
  }
}
const path_ = path;

async function explain(sql: string): Promise<string> {
  const c = await pgClient();
  try {
    const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  } finally {
    await c.end();
  }
}

async function main() {
  const items = itemsArg();
  const load = process.env.BENCH_SKIP_LOAD === '1' ? { added: 0, ms: 0 } : await loadScale(items);
  const c = await pgClient();
  const counts = (
    await c.query(`SELECT (SELECT count(*) FROM suggestions)::int AS suggestions, (SELECT count(*) FROM assignments)::int AS assignments,
      (SELECT count(*) FROM replies)::int AS replies, (SELECT count(*) FROM units)::int AS units,
      (SELECT count(DISTINCT town) FROM deputies)::int AS towns, (SELECT count(*) FROM deputies)::int AS deputies,
      (SELECT count(*) FROM suggestions WHERE overdue)::int AS overdue`)
  ).rows[0];
  await c.end();
  console.log(`database: ${JSON.stringify(counts)}`);

  const sessions: Record<Who, ApiSession> = {
    reviewer: await ApiSession.login('reviewer', DEMO_PASSWORD),
    supervisor: await ApiSession.login('supervisor', DEMO_PASSWORD),
    unit: await ApiSession.login('jtj.handler', DEMO_PASSWORD),
    deputy: await ApiSession.login('wangjianguo', DEMO_PASSWORD),
    public: new ApiSession(),
  };
  const results: { name: string; path: string; who: Who; stats: Stats | null; timedOut: boolean }[] = [];
  const start = FROM
    ? Math.max(
        0,
        endpoints.findIndex((e) => e.name.includes(FROM)),
      )
    : 0;
  for (const e of endpoints.slice(start)) {
    const ms = await sample(sessions[e.who], e.path);
    const st = stats(ms);
    const timedOut = ms.length === 1 && ms[0] === TIMEOUT_MS;
    results.push({
      name: timedOut ? `${e.name} (timed out)` : e.name,
      path: e.path,
      who: e.who,
      stats: st,
      timedOut,
    });
    console.log(
      `  ${e.name}: p50 ${st?.p50} ms, p95 ${st?.p95} ms (${st?.count} samples)${timedOut ? ' TIMED OUT' : ''}`,
    );
  }
  printTable(
    `API endpoints at ${counts.suggestions} suggestions (sequential calls, ms)`,
    statHeader,
    results.map((r) => statRow(r.name, r.stats)),
  );
  const slowest = [...results]
    .filter((r) => !r.timedOut)
    .sort((a, b) => (b.stats?.p95 ?? 0) - (a.stats?.p95 ?? 0))[0]!;
  let plan: string | null = null;
  let statement: { ms: number; sql: string } | null = null;
  if (process.env.BENCH_EXPLAIN !== '0') {
    statement = await slowestStatement(sessions[slowest.who], slowest.path);
    if (statement) {
      plan = await explain(statement.sql);
      console.log(
        `\nslowest endpoint: ${slowest.name} (${slowest.path}); its slowest statement took ${statement.ms} ms:`,
      );
      console.log(statement.sql.replace(/\s+/g, ' ').slice(0, 2000));
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS):\n${plan}`);
    }
  }
  const file = writeResults(`${NAME}-${items}${FROM ? '-from' : ''}`, {
    name: NAME,
    params: { items, samples: SAMPLES, budgetMs: BUDGET_MS, timeoutMs: TIMEOUT_MS, from: FROM ?? null },
    machine: machineInfo(),
    load,
    database: counts,
    endpoints: results,
    slowest: { name: slowest.name, path: slowest.path, statement, plan },
  });
  console.log(`\nwrote ${file}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
