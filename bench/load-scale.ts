/**
 * P3 loader: puts N suggestions in realistic states into the test database, set-based in SQL
 * (`generate_series`, one INSERT … SELECT per table), never row by row.
 *
 *   node_modules/.bin/tsx bench/load-scale.ts [--items 1000000]   (default 100,000; env BENCH_SCALE_ITEMS)
 *
 * What it makes (all marked with BENCH_CREATOR as `created_by`, so a second run with the same N
 * does nothing and a run with a larger N adds the difference):
 * - about 210 units (the seeded ones, JTJ and JYJ among them, plus 基准单位NNN), 60 towns (镇/街道),
 *   N/20 deputies (at least 400) spread over the towns, five sessions (届次 2022–2026);
 * - items of past sessions mostly closed or published, those of 2026 spread over every status;
 * - for each assigned item a lead unit (the seeded units get a larger share, so a unit's inbox is
 *   big) and for most a co-handler (协办), some split (分办) between two units; deadlines three
 *   months after assignment, so the open items of 2026 are partly overdue, partly due soon;
 * - replies (A/B/C/D) with sent dates, co-handlers' opinions, contacts (面商, 电话, 座谈, 视察),
 *   ratings (满意, 基本满意, 不满意, 未反馈), co-signers (联名), urges (催办) on overdue items,
 *   a few key-supervision (重点督办) and confidential (涉密) items.
 *
 * Data is random but seeded (`setseed`), so two loads of the same N give the same figures.
 */
import { performance } from 'node:perf_hooks';
import { openDataSource } from '../services/platform/src';
import { searchDocument } from '../services/text/src';

export const BENCH_CREATOR = '00000000-0000-4000-8000-00000000b3c0';

/**
 * Search vectors for the loaded rows (issue 12): the texts are templates (a subject and a number), so each
 * template is segmented once here, the way the API's indexer would (`searchDocument`), with a marker for
 * the number, and SQL puts the number in. So the rows are searchable through the GIN index as soon as they
 * are loaded, as they would be once the indexer had caught up (segmenting a million rows one by one in
 * the API takes long, and until then search falls back to substring matching).
 */
const NUMBER_MARK = '987654321';
function segmentedTemplates(): { titles: string[]; content: string[]; replies: string[] } {
  const check = (f: (n: string) => string[]) => {
    const a = searchDocument(...f(NUMBER_MARK)).replaceAll(NUMBER_MARK, '42');
    const b = searchDocument(...f('42'));
    if (a !== b) throw new Error(`template segments differently with another number: ${a} / ${b}`);
    return searchDocument(...f(NUMBER_MARK));
  };
  return {
    // index (verb 0|1) * 16 + subject
    titles: ['加强', '改善'].flatMap((v) => SUBJECTS.map((x) => check((n) => [`关于${v}${x}的建议(${n})`]))),
    content: SUBJECTS.map((x) =>
      check((n) => [
        `随着城市发展,${x}方面的问题日益突出,群众反映强烈。建议有关部门统筹规划,加大投入,完善制度,明确责任,切实解决群众急难愁盼问题。第${n}件。`,
      ]),
    ),
    replies: SUBJECTS.map((x) =>
      check(() => [
        `经研究,我局高度重视代表提出的${x}问题,已会同相关部门实地调研,制定工作方案,计划分步实施。感谢代表对我市工作的关心和支持。`,
      ]),
    ),
  };
}

export function itemsArg(fallback = 100_000): number {
  const i = process.argv.indexOf('--items');
  const v = i >= 0 ? process.argv[i + 1] : process.env.BENCH_SCALE_ITEMS;
  if (v === undefined || v === '') return fallback;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1000) throw new Error(`--items must be a whole number >= 1000, got "${v}"`);
  return n;
}

/** One connection (the loader's temp tables live in it), with a `query` returning rows and rowCount. */
export async function pgClient() {
  // As the owner: the loader turns triggers off (session_replication_role) and rebuilds projections.
  const ds = await openDataSource({}, 'owner');
  const qr = ds.createQueryRunner();
  await qr.connect();
  return {
    async query(sql: string, params: unknown[] = []) {
      const r = await qr.query(sql, params, true);
      return {
        rows: r.records as any[],
        rowCount: (r.affected as number | undefined) ?? r.records?.length ?? 0,
      };
    },
    async end() {
      await qr.release();
      await ds.destroy();
    },
  };
}

const TOWN_NAMES = [
  '溧城',
  '天目湖',
  '戴埠',
  '别桥',
  '上黄',
  '南渡',
  '社渚',
  '埭头',
  '竹箦',
  '上兴',
  '昆仑',
  '古县',
  '燕山',
  '永和',
  '清安',
  '金峰',
  '凤凰',
  '白马',
  '东坝',
  '桠溪',
  '阳江',
  '砖墙',
  '漆桥',
  '和凤',
  '石湫',
  '洪蓝',
  '晶桥',
  '柘塘',
  '永阳',
  '东屏',
];
const TOPICS = [
  '城乡建设',
  '交通',
  '教育',
  '卫生健康',
  '农业农村',
  '生态环境',
  '民政',
  '文化旅游',
  '市场监管',
  '公共安全',
];
const SUBJECTS = [
  '停车设施',
  '农村公路',
  '学校周边交通',
  '老旧小区改造',
  '养老服务',
  '垃圾分类',
  '河道治理',
  '食品安全',
  '医疗资源',
  '公交线路',
  '农田水利',
  '菜市场改造',
  '路灯照明',
  '社区卫生服务',
  '体育场地',
  '电动车充电',
];

/** Bench rows of a load made before the loader wrote search vectors: segmented from their templates. */
async function segmentEarlierLoads(
  c: Awaited<ReturnType<typeof pgClient>>,
  log: (s: string) => void,
): Promise<void> {
  const seg = segmentedTemplates();
  const t = performance.now();
  await c.query(`SET session_replication_role = replica`);
  const s = await c.query(
    `UPDATE suggestions s SET search_segmented = true, search_tsv = to_tsvector('simple', replace(
       ($2::text[])[1 + CASE WHEN s.title LIKE '关于加强%' THEN 0 ELSE 16 END + (x.n % 16)] || ' ' || ($3::text[])[1 + (x.n % 16)],
       '${NUMBER_MARK}', x.n::text))
     FROM (SELECT id, substring(title from '\\((\\d+)\\)$')::int AS n FROM suggestions
           WHERE created_by = $1 AND NOT search_segmented) x
     WHERE s.id = x.id AND x.n IS NOT NULL`,
    [BENCH_CREATOR, seg.titles, seg.content],
  );
  const r = await c.query(
    `UPDATE replies r SET search_segmented = true,
       search_tsv = to_tsvector('simple', ($2::text[])[1 + (substring(s.title from '\\((\\d+)\\)$')::int % 16)])
     FROM suggestions s
     WHERE s.id = r.suggestion_id AND s.created_by = $1 AND NOT r.search_segmented
       AND r.body LIKE '经研究,我局高度重视代表提出的%' AND s.title ~ '\\(\\d+\\)$'`,
    [BENCH_CREATOR, seg.replies],
  );
  await c.query(`SET session_replication_role = DEFAULT`);
  if (s.rowCount || r.rowCount)
    log(
      `  segmented earlier loads: ${s.rowCount} suggestions, ${r.rowCount} replies in ${Math.round(performance.now() - t)} ms`,
    );
}

/** Loads up to `items` bench suggestions; returns how many were added and how long it took. */
export async function loadScale(items: number, log = console.log): Promise<{ added: number; ms: number }> {
  const c = await pgClient();
  const t0 = performance.now();
  try {
    const have = Number(
      (await c.query(`SELECT count(*)::int AS n FROM suggestions WHERE created_by = $1`, [BENCH_CREATOR]))
        .rows[0].n,
    );
    if (have >= items) {
      log(`loader: ${have} bench items already there (wanted ${items}); nothing to add`);
      await segmentEarlierLoads(c, log);
      return { added: 0, ms: 0 };
    }
    await segmentEarlierLoads(c, log);
    const from = have + 1;
    const seg = segmentedTemplates();
    log(`loader: adding items ${from}..${items} …`);
    const step = async (what: string, sql: string, params: unknown[] = []) => {
      const t = performance.now();
      const r = await c.query(sql, params);
      log(`  ${what}: ${r.rowCount ?? 0} rows in ${Math.round(performance.now() - t)} ms`);
    };
    await c.query(`SELECT setseed($1)`, [(from % 1000) / 1000]);
    // Row triggers off for this session (the statistics and open deadlines are rebuilt set-based at the end).
    await c.query(`SET session_replication_role = replica`);
    // Towns × 2 kinds (镇, 街道): 60 towns.
    const towns = TOWN_NAMES.flatMap((t) => [`${t}镇`, `${t}街道`]);
    await step(
      'units',
      `INSERT INTO units (id, code, name)
       SELECT md5('bench-unit-' || i)::uuid, 'B' || lpad(i::text, 3, '0'), '基准单位' || lpad(i::text, 3, '0')
       FROM generate_series(1, 205) i ON CONFLICT DO NOTHING`,
    );
    const deputies = Math.max(400, Math.ceil(items / 20));
    await step(
      'deputies',
      `INSERT INTO deputies (id, name, level, town, delegation)
       SELECT md5('bench-deputy-' || i)::uuid, '代表' || i, 'city', ($1::text[])[1 + (i % $2)], ($1::text[])[1 + (i % $2)] || '代表团'
       FROM generate_series(1, $3::int) i ON CONFLICT DO NOTHING`,
      [towns, towns.length, deputies],
    );
    // The units to draw from: the seeded ones first (they get a larger share), then the bench units.
    await c.query(`DROP TABLE IF EXISTS pg_temp.bu`);
    await c.query(`CREATE TEMP TABLE bu AS
      SELECT row_number() OVER (ORDER BY (code LIKE 'B%'), code) AS k, id FROM units`);
    const unitCount = Number((await c.query(`SELECT count(*)::int AS n FROM bu`)).rows[0].n);
    // One row per new item with every random choice made once.
    await c.query(`DROP TABLE IF EXISTS pg_temp.bs`);
    await step(
      'plan',
      `CREATE TEMP TABLE bs AS
       WITH g AS (
         SELECT n, 2022 + (n % 5) AS sy, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
         FROM generate_series(${from}, ${items}) n
       ), st AS (
         SELECT g.*, CASE WHEN sy < 2026 THEN
             CASE WHEN r1 < 0.62 THEN 'published' WHEN r1 < 0.90 THEN 'closed' WHEN r1 < 0.92 THEN 'replied'
                  WHEN r1 < 0.94 THEN 'handling' WHEN r1 < 0.95 THEN 'rehandling' WHEN r1 < 0.97 THEN 'rejected'
                  WHEN r1 < 0.98 THEN 'withdrawn' WHEN r1 < 0.99 THEN 'converted' ELSE 'merged' END
           ELSE
             CASE WHEN r1 < 0.03 THEN 'draft' WHEN r1 < 0.08 THEN 'submitted' WHEN r1 < 0.10 THEN 'returned'
                  WHEN r1 < 0.15 THEN 'accepted' WHEN r1 < 0.30 THEN 'assigned' WHEN r1 < 0.55 THEN 'handling'
                  WHEN r1 < 0.68 THEN 'replied' WHEN r1 < 0.70 THEN 'rehandling' WHEN r1 < 0.82 THEN 'closed'
                  WHEN r1 < 0.97 THEN 'published' WHEN r1 < 0.98 THEN 'rejected' ELSE 'withdrawn' END
           END AS status
         FROM g
       )
       SELECT n, sy, status, r2, r3, r4, r5,
         md5('bench-sugg-' || n)::uuid AS id,
         md5('bench-deputy-' || (1 + floor(r2 * ${deputies})::int))::uuid AS deputy_id,
         -- lead unit: a third of the items go to the first 10 units (the seeded ones and a few more)
         CASE WHEN r3 < 0.33 THEN 1 + floor(r3 / 0.33 * 10)::int ELSE 1 + floor(((r3 - 0.33) / 0.67) * ${unitCount})::int END AS lead_k,
         1 + floor(r4 * ${unitCount})::int AS co_k,
         CASE WHEN sy < 2026 THEN make_timestamptz(sy, 3, 1, 9, 0, 0, 'Asia/Shanghai') + (r5 * 200) * interval '1 day'
              ELSE now() - interval '130 days' + (r5 * 125) * interval '1 day' END AS created,
         status IN ('assigned','handling','replied','rehandling','closed','published') AS assigned,
         status IN ('replied','rehandling','closed','published') AS has_reply,
         status IN ('closed','published','rehandling') AS rated,
         r5 < 0.15 AND status IN ('assigned','handling','replied','rehandling','closed','published') AS split
       FROM st`,
    );
    await c.query(`CREATE INDEX ON bs (id)`);
    await c.query(`ANALYZE bs`);
    await step(
      'suggestions',
      `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, registration_no, policy_version, created_by,
         session_year, during_session, topic, key_supervision, merged_into_id, deadline_at, overdue, confidential, round,
         submitted_at, created_at, updated_at, search_tsv, search_segmented)
       SELECT id,
         '关于' || (CASE WHEN r2 < 0.5 THEN '加强' ELSE '改善' END) || ($1::text[])[1 + (n % 16)] || '的建议(' || n || ')',
         '随着城市发展,' || ($1::text[])[1 + (n % 16)] || '方面的问题日益突出,群众反映强烈。建议有关部门统筹规划,加大投入,'
           || '完善制度,明确责任,切实解决群众急难愁盼问题。第' || n || '件。',
         status, deputy_id,
         CASE WHEN status NOT IN ('draft','submitted','returned','rejected','withdrawn','converted') THEN sy || '-第' || lpad(n::text, 7, '0') || '号' END,
         'default@1', '${BENCH_CREATOR}', sy, r4 < 0.6, ($2::text[])[1 + (n % 10)],
         assigned AND r4 > 0.98,
         CASE WHEN status = 'merged' THEN md5('bench-sugg-' || greatest(1, n - 1))::uuid END,
         CASE WHEN assigned THEN created + interval '10 days' + interval '3 months' END,
         status IN ('assigned','handling','rehandling') AND created + interval '10 days' + interval '3 months' < now(),
         status = 'published' AND r4 < 0.02,
         CASE WHEN status = 'rehandling' THEN 2 ELSE 1 END,
         CASE WHEN status <> 'draft' THEN created + interval '1 day' END,
         created,
         created + interval '10 days' + CASE WHEN has_reply THEN interval '60 days' ELSE interval '0 days' END
           + CASE WHEN rated THEN interval '20 days' ELSE interval '0 days' END,
         to_tsvector('simple', replace(($3::text[])[1 + CASE WHEN r2 < 0.5 THEN 0 ELSE 16 END + (n % 16)] || ' ' ||
           ($4::text[])[1 + (n % 16)], '${NUMBER_MARK}', n::text)),
         true
       FROM bs`,
      [SUBJECTS, TOPICS, seg.titles, seg.content],
    );
    // Lead (or first split) unit; co-handler or second split unit; a re-handling round for the main unit.
    await step(
      'assignments',
      `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at, signed_in_at, assigned_at)
       SELECT md5('bench-asg-' || b.n || '-' || x.part)::uuid, b.id, CASE WHEN x.part = 2 THEN cu.id ELSE lu.id END,
         CASE WHEN x.part = 2 AND NOT b.split THEN 'co' WHEN b.split THEN 'separate' ELSE 'lead' END,
         CASE WHEN x.part = 3 THEN 2 ELSE 1 END,
         CASE WHEN x.part = 3 THEN 'signed_in'
              WHEN b.status = 'assigned' THEN 'pending'
              WHEN b.status = 'handling' THEN 'signed_in'
              WHEN x.part = 2 AND NOT b.split THEN 'opinion_sent' ELSE 'replied' END,
         CASE WHEN x.part = 3 THEN b.created + interval '100 days' + interval '2 months' ELSE b.created + interval '10 days' + interval '3 months' END,
         CASE WHEN b.status <> 'assigned' THEN b.created + interval '12 days' END,
         CASE WHEN x.part = 3 THEN b.created + interval '100 days' ELSE b.created + interval '10 days' END
       FROM bs b
       JOIN bu lu ON lu.k = least(b.lead_k, ${unitCount})
       JOIN bu cu ON cu.k = CASE WHEN b.co_k = least(b.lead_k, ${unitCount}) THEN 1 + (b.co_k % ${unitCount}) ELSE b.co_k END
       CROSS JOIN LATERAL (VALUES (1), (2), (3)) x(part)
       WHERE b.assigned AND (x.part = 1 OR (x.part = 2 AND (b.split OR b.r4 < 0.7)) OR (x.part = 3 AND b.status = 'rehandling'))`,
    );
    await step(
      'replies and opinions',
      `INSERT INTO replies (id, suggestion_id, unit_id, round, kind, category, body, promised_date, explanation, signed_at, sent_at, created_at,
         search_tsv, search_segmented)
       SELECT md5('bench-rep-' || a.id)::uuid, a.suggestion_id, a.unit_id, 1, CASE WHEN a.role = 'co' THEN 'opinion' ELSE 'reply' END,
         CASE WHEN a.role = 'co' THEN NULL WHEN b.r2 < 0.45 THEN 'A' WHEN b.r2 < 0.75 THEN 'B' WHEN b.r2 < 0.95 THEN 'C' ELSE 'D' END,
         '经研究,我局高度重视代表提出的' || ($1::text[])[1 + (b.n % 16)] || '问题,已会同相关部门实地调研,制定工作方案,' ||
           '计划分步实施。感谢代表对我市工作的关心和支持。',
         CASE WHEN a.role <> 'co' AND b.r2 >= 0.45 AND b.r2 < 0.75 THEN (b.created + interval '200 days')::date END,
         CASE WHEN a.role <> 'co' AND b.r2 >= 0.75 AND b.r2 < 0.95 THEN '受资金和规划限制,暂时难以解决,将积极创造条件。' END,
         a.assigned_at + (20 + b.r3 * 60) * interval '1 day', a.assigned_at + (21 + b.r3 * 75) * interval '1 day', a.assigned_at + interval '20 days',
         to_tsvector('simple', ($2::text[])[1 + (b.n % 16)]), true
       FROM assignments a JOIN bs b ON b.id = a.suggestion_id
       WHERE b.has_reply AND a.round = 1`,
      [SUBJECTS, seg.replies],
    );
    await step(
      'contacts',
      `INSERT INTO contacts (id, suggestion_id, unit_id, contacted_on, form, summary, created_at)
       SELECT md5('bench-con-' || a.id)::uuid, a.suggestion_id, a.unit_id, (a.assigned_at + interval '15 days')::date,
         (ARRAY['面商','电话','座谈','视察'])[1 + (b.n % 4)], '与代表沟通办理思路,听取意见建议。', a.assigned_at + interval '15 days'
       FROM assignments a JOIN bs b ON b.id = a.suggestion_id
       WHERE a.role <> 'co' AND a.round = 1 AND a.status <> 'pending' AND b.r5 < 0.9`,
    );
    await step(
      'evaluations',
      `INSERT INTO evaluations (id, suggestion_id, round, rating, comment, created_at)
       SELECT md5('bench-eva-' || n)::uuid, id, 1,
         CASE WHEN status = 'rehandling' THEN 'unsatisfied' WHEN r3 < 0.72 THEN 'satisfied' WHEN r3 < 0.92 THEN 'basically_satisfied' ELSE 'no_feedback' END,
         NULL, created + interval '80 days'
       FROM bs WHERE rated`,
    );
    await step(
      'co-signers',
      `INSERT INTO suggestion_cosigners (suggestion_id, deputy_id, created_at)
       SELECT id, md5('bench-deputy-' || (1 + ((floor(r2 * ${deputies})::int + 7) % ${deputies})))::uuid, created
       FROM bs WHERE r4 < 0.3 ON CONFLICT DO NOTHING`,
    );
    await step(
      'urges',
      `INSERT INTO urges (id, suggestion_id, unit_id, note, created_at)
       SELECT md5('bench-urge-' || b.n)::uuid, b.id, NULL, '请抓紧办理。', now() - interval '2 days'
       FROM bs b JOIN suggestions s ON s.id = b.id WHERE s.overdue AND b.r2 < 0.4`,
    );
    const rebuild = (await c.query(`SELECT to_regproc('stats_rebuild') IS NOT NULL AS ok`)).rows[0].ok;
    if (rebuild) await step('statistics and open deadlines rebuilt', `SELECT stats_rebuild()`);
    await step('analyze', `ANALYZE`);
    const ms = Math.round(performance.now() - t0);
    log(`loader: ${items - have} items added in ${(ms / 1000).toFixed(1)} s`);
    return { added: items - have, ms };
  } finally {
    await c.end();
  }
}

if (require.main === module) {
  loadScale(itemsArg()).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
