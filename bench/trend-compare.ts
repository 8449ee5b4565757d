/**
 * The monthly trend (按月趋势) read from its maintained aggregate (migration TrendAggregate) against
 * the same trend counted from the records (`StatsRepository.trendFromRecords`, the query it
 * replaced), on whatever database the stack points at (the million-item bench database):
 *
 *   JIANYI_ENV=test JIANYI_PORT_OFFSET=2000 JIANYI_PG_DATABASE=jianyi_bench (source infra/env.sh)
 *   node_modules/.bin/tsx bench/trend-compare.ts
 *
 * For all items, one unit (交通局 JTJ), one town, one session year, one 届次 and a combination, over
 * 12 and 60 months: prints each pair's timings and whether every row is equal; exits 1 on a difference.
 */
import { performance } from 'node:perf_hooks';
import { demoId } from '../services/platform/src/db/seed';
import { openDataSource } from '../services/platform/src';
import { StatsRepository, type StatsFilter } from '../services/api/src/stats.repository';

async function main() {
  const ds = await openDataSource({});
  const repo = new StatsRepository(ds);
  const JTJ = demoId('unit:JTJ');
  // A 届次 key that has items (the newest session recorded), when any is.
  const session = (
    (await ds.query(
      `SELECT session_key AS k FROM stats_trend_cube WHERE session_key <> '' GROUP BY 1 ORDER BY sum(received) DESC LIMIT 1`,
    )) as { k: string }[]
  )[0]?.k;
  const cases: [string, number, StatsFilter][] = [
    ['all', 12, {}],
    ['unit JTJ', 12, { unitId: JTJ }],
    ['town 戴埠镇', 12, { town: '戴埠镇' }],
    ['session year 2026', 12, { sessionYear: 2026 }],
    ['town 戴埠镇, unit JTJ', 12, { town: '戴埠镇', unitId: JTJ }],
    ...(session ? ([[`届次 ${session}`, 12, { session }]] as [string, number, StatsFilter][]) : []),
    ['all, 60 months', 60, {}],
    ['unit JTJ, 60 months', 60, { unitId: JTJ }],
    ['session year 2025, 60 months', 60, { sessionYear: 2025 }],
  ];
  let differ = 0;
  for (const [name, months, f] of cases) {
    let t = performance.now();
    const kept = await repo.trend(months, f);
    const keptMs = performance.now() - t;
    t = performance.now();
    const counted = await repo.trendFromRecords(months, f);
    const countedMs = performance.now() - t;
    const same = JSON.stringify(kept) === JSON.stringify(counted);
    if (!same) differ++;
    const sum = (k: 'received' | 'assigned' | 'replied' | 'evaluated') => kept.reduce((n, r) => n + r[k], 0);
    console.log(
      `${same ? 'SAME' : 'DIFFERENT'}  ${name} (${months} months): ${kept.length} rows; received ${sum('received')}, assigned ${sum('assigned')}, replied ${sum('replied')}, evaluated ${sum('evaluated')}; aggregate ${keptMs.toFixed(1)} ms, records ${countedMs.toFixed(0)} ms`,
    );
    if (!same)
      for (let i = 0; i < Math.max(kept.length, counted.length); i++)
        if (JSON.stringify(kept[i]) !== JSON.stringify(counted[i]))
          console.log(
            `    aggregate ${JSON.stringify(kept[i])}\n    records   ${JSON.stringify(counted[i])}`,
          );
  }
  await ds.destroy();
  console.log(differ ? `${differ} of ${cases.length} differ` : `all ${cases.length} equal`);
  process.exit(differ ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
