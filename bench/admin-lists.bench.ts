/**
 * The admin lists at a province's size (issue 15): 130,000 deputies and as many deputy accounts,
 * written in one transaction that is rolled back at the end (nothing stays in the test database).
 * Times each list call of the repositories (the SQL the API runs: count and page) and prints the plan
 * of the count of the keyword searches (EXPLAIN ANALYZE), which read the character-gram index.
 *
 *   node_modules/.bin/tsx bench/admin-lists.bench.ts          (on a running test stack: ./dev bench admin-lists)
 *   env: BENCH_DEPUTIES (default 130000), BENCH_SAMPLES (default 20)
 */
import { performance } from 'node:perf_hooks';
import { openDataSource } from '../services/platform/src';
import { AdminService } from '../services/api/src/admin.service';
import { DeputyRepository } from '../services/api/src/deputy.repository';
import { envInt, machineInfo, printTable, statHeader, statRow, stats, writeResults } from './_shared';

const N = envInt('BENCH_DEPUTIES', 130_000);
const SAMPLES = envInt('BENCH_SAMPLES', 20);

async function main() {
  const ds = await openDataSource({}, 'owner');
  const rows: { name: string; ms: ReturnType<typeof stats>; total: number }[] = [];
  const plans: Record<string, string> = {};
  try {
    await ds
      .transaction(async (m) => {
        const t0 = performance.now();
        // Names from 30 surnames × 40 given names (so a common name has many holders, as in life);
        // 120 towns, each its own delegation.
        await m.query(
          `INSERT INTO deputies (id, name, town, delegation, level)
           SELECT gen_random_uuid(),
                  substr('赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶', 1 + i % 30, 1)
                    || (ARRAY['建华','秀兰','志明','丽娟','国强','海燕','文斌','晓梅','永康','春花','德胜','玉珍','子涵','浩然',
                              '一鸣','思远','雨桐','梓轩','欣怡','俊杰','佳琪','明轩','诗雨','宇航','婉清','雅静','天佑','若曦',
                              '志刚','桂英','红梅','军','伟','芳','敏','静','磊','洋','勇','艳'])[1 + (i / 30) % 40],
                  '第' || (i % 120) || '镇', '第' || (i % 120) || '代表团', CASE WHEN i % 20 = 0 THEN 'provincial' ELSE 'city' END
           FROM generate_series(1, $1::int) i`,
          [N],
        );
        await m.query(
          `INSERT INTO users (id, username, password_hash, display_name, role, deputy_id)
           SELECT gen_random_uuid(), 'bench.d' || row_number() OVER (), 'x', name, 'deputy', id
           FROM deputies WHERE town LIKE '第%镇'`,
        );
        await m.query(`ANALYZE deputies`);
        await m.query(`ANALYZE users`);
        console.log(`loaded ${N} deputies and accounts in ${Math.round(performance.now() - t0)} ms`);

        const deputies = new DeputyRepository(m as never);
        const admin = new AdminService(m as never, {} as never);
        const page = { page: 1, pageSize: 20 };
        const cases: [string, () => Promise<{ total: number } | unknown[]>][] = [
          ['deputies: page 1, no filter', () => deputies.list(page)],
          ['deputies: page 500 (offset 9,980)', () => deputies.list({ page: 500, pageSize: 20 })],
          ['deputies: q=王 (one character)', () => deputies.list({ ...page, q: '王' })],
          ['deputies: q=婉清 (two characters)', () => deputies.list({ ...page, q: '婉清' })],
          ['deputies: q=王婉清 (a full name)', () => deputies.list({ ...page, q: '王婉清' })],
          ['deputies: q=第17代表团', () => deputies.list({ ...page, q: '第17代表团' })],
          ['deputies: delegation=第17代表团', () => deputies.list({ ...page, delegation: '第17代表团' })],
          ['deputies: delegations (facet)', () => deputies.delegations()],
          ['users: page 1, no filter', () => admin.listUsers(page)],
          ['users: q=王婉清', () => admin.listUsers({ ...page, q: '王婉清' })],
          ['users: q=bench.d12345 (login name)', () => admin.listUsers({ ...page, q: 'bench.d12345' })],
          [
            'users: role=deputy&active=true',
            () => admin.listUsers({ ...page, role: 'deputy', active: true }),
          ],
        ];
        for (const [name, run] of cases) {
          const samples: number[] = [];
          let total = 0;
          for (let i = 0; i < SAMPLES; i++) {
            const s = performance.now();
            const r = await run();
            samples.push(performance.now() - s);
            total = Array.isArray(r) ? r.length : (r as { total: number }).total;
          }
          rows.push({ name, ms: stats(samples), total });
        }
        // The plans of the keyword counts (the part that grows with the table).
        for (const [name, sql, params] of [
          [
            'deputies q=婉清',
            `SELECT count(*) FROM deputies WHERE search_grams(name || ' ' || town || ' ' || delegation) @> search_grams($1) AND (name ILIKE $2 OR town ILIKE $2 OR delegation ILIKE $2)`,
            ['婉清', '%婉清%'],
          ],
          [
            'users q=王婉清',
            `SELECT count(*) FROM users WHERE search_grams(username || ' ' || display_name || ' ' || coalesce(email, '')) @> search_grams($1) AND (username ILIKE $2 OR display_name ILIKE $2 OR email ILIKE $2)`,
            ['王婉清', '%王婉清%'],
          ],
        ] as const) {
          const plan: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN ANALYZE ${sql}`, [...params]);
          plans[name] = plan.map((p) => p['QUERY PLAN']).join('\n');
        }
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  } finally {
    await ds.destroy();
  }
  printTable(
    `admin lists at ${N} deputies and accounts (list call: count + page)`,
    [...statHeader, 'total'],
    rows.map((r) => [...statRow(r.name, r.ms), r.total]),
  );
  for (const [name, plan] of Object.entries(plans)) console.log(`\n${name}:\n${plan}`);
  console.log(
    `\nresults: ${writeResults('admin-lists', { machine: machineInfo(), deputies: N, samples: SAMPLES, rows, plans })}`,
  );
}

class Rollback extends Error {}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
