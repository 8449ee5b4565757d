/**
 * Statistics (办理统计) and supervision lists (督办), computed from the records in PostgreSQL.
 *
 * The rates follow docs/process.md ("Statistics"); the exact definitions are in {@link rateDefinitions}
 * and shown on the dashboard, in the exported table and in the README. One fact row is one item
 * (建议) × one main handling unit (主办 or 分办 unit; 协办 co-handlers only send opinions and are not
 * counted, nor is a unit whose part was re-assigned away). Merged items (并案) count once, in the
 * item they were merged into.
 */
import type { DataSource } from 'typeorm';
import type { SessionUser } from '@jianyi/platform';
import { chinaDateOf, chinaDayEnd, type WorkCalendar } from '@jianyi/domain';
import { STATS_ITEM_UNIT, ownUnit } from '@jianyi/platform';
import { countCapped } from './suggestion.repository';

export type StatsBy = 'unit' | 'town' | 'session' | 'topic';

/** 主题 of an item, or 未分类 when none was given. */
export const UNCLASSIFIED_TOPIC = '未分类';

export interface StatsFilter {
  sessionYear?: number;
  /** 届次: a congress session's id, or `interim:<term>` (闭会期间 of that term), as `by=session` keys rows. */
  session?: string;
  unitId?: string;
  town?: string;
}

export interface StatsCounts {
  assigned: number;
  closed: number;
  onTime: number;
  replied: number;
  met: number;
  contacted: number;
  evaluated: number;
  satisfied: number;
  basicallySatisfied: number;
  solved: number;
  solvedAB: number;
}

export interface StatsRates {
  closedRate: number | null;
  onTimeRate: number | null;
  meetingRate: number | null;
  contactRate: number | null;
  satisfiedRate: number | null;
  basicallySatisfiedRate: number | null;
  solvedRate: number | null;
  solvedABRate: number | null;
}

export interface StatsRow extends StatsCounts, StatsRates {
  /** Unit id, town name or session year (as text): the value to drill down with. */
  key: string;
  label: string;
}

/** The definitions of the rates, in Chinese and English, as the dashboard and the export state them. */
export const rateDefinitions = [
  {
    key: 'closedRate',
    zh: '办结率',
    en: 'Closure rate',
    defZh: '办结件数(已办结或已公开)÷ 交办件数',
    defEn: 'items closed (closed or published) ÷ items assigned',
  },
  {
    key: 'onTimeRate',
    zh: '按时办结率',
    en: 'On-time rate',
    defZh: '首轮答复在办理期限内(含批准的延期)发出的件数 ÷ 交办件数',
    defEn:
      'items whose first-round reply was sent by the reply deadline (with approved extensions) ÷ items assigned',
  },
  {
    key: 'meetingRate',
    zh: '见面率',
    en: 'Meeting rate',
    defZh: '答复前与代表当面沟通(面商、座谈、视察、走访)的件数 ÷ 已答复件数',
    defEn:
      'replied items with a face-to-face contact (面商, 座谈, 视察, 走访) on or before the reply date ÷ items replied',
  },
  {
    key: 'contactRate',
    zh: '沟通率',
    en: 'Contact rate',
    defZh: '答复前与代表有任何形式沟通的件数 ÷ 已答复件数',
    defEn: 'replied items with any contact on or before the reply date ÷ items replied',
  },
  {
    key: 'satisfiedRate',
    zh: '满意率',
    en: 'Satisfaction rate',
    defZh: '测评为"满意"的件数 ÷ 已测评件数(最后一轮测评;"未反馈"计入分母,不算满意)',
    defEn:
      'items rated 满意 ÷ items evaluated (latest round; 未反馈 no feedback counts in the denominator, not as satisfied)',
  },
  {
    key: 'basicallySatisfiedRate',
    zh: '基本满意率',
    en: 'Basically satisfied rate',
    defZh: '测评为"基本满意"的件数 ÷ 已测评件数',
    defEn: 'items rated 基本满意 ÷ items evaluated',
  },
  {
    key: 'solvedRate',
    zh: '解决率',
    en: 'Solved rate',
    defZh: '最后一次答复为 A 类(已解决或采纳)的件数 ÷ 已答复件数',
    defEn: 'items whose latest reply is category A (solved or adopted) ÷ items replied',
  },
  {
    key: 'solvedABRate',
    zh: '解决率(A+B)',
    en: 'Solved rate (A+B)',
    defZh: '最后一次答复为 A 类或 B 类(正在解决或列入计划)的件数 ÷ 已答复件数',
    defEn: 'items whose latest reply is category A or B (being solved or in plan) ÷ items replied',
  },
] as const;

export const IN_PERSON_FORMS = ['面商', '座谈', '视察', '走访'];

/**
 * The label of a 届次 key (SQL): the session's name, or 第N届人民代表大会闭会期间 for the period
 * between sessions of term N, or 未划分届次 when no session is recorded.
 */
export const sessionLabelSql = (key: string) =>
  `COALESCE((SELECT cs.name FROM congress_sessions cs WHERE cs.id::text = ${key}),
    CASE WHEN ${key} LIKE 'interim:%' THEN '第' || substr(${key}, 9) || '届人民代表大会闭会期间' ELSE '未划分届次' END)`;
/** Newest first: a session by its opening day, a 闭会期间 after the last session of its term. */
const sessionOrderSql = (key: string) =>
  `COALESCE((SELECT cs.starts_on FROM congress_sessions cs WHERE cs.id::text = ${key}),
    (SELECT max(cs.ends_on) + 1 FROM congress_sessions cs WHERE ${key} = 'interim:' || cs.term)) DESC NULLS LAST, ${key}`;

/**
 * One row per item × main unit, with the flags every rate is built from. `$n` placeholders are
 * appended to `params`.
 */
function factsSql(f: StatsFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['s.merged_into_id IS NULL'];
  if (f.sessionYear !== undefined) where.push(`s.session_year = ${p(f.sessionYear)}::int`);
  if (f.session !== undefined) where.push(`congress_session_key(s.submitted_at) = ${p(f.session)}`);
  if (f.unitId) where.push(`m.unit_id = ${p(f.unitId)}::uuid`);
  if (f.town !== undefined) where.push(`COALESCE(d.town, '') = ${p(f.town)}`);
  const inPerson = p(IN_PERSON_FORMS);
  return `
    main AS (
      SELECT a.suggestion_id, a.unit_id, (array_agg(a.deadline_at ORDER BY a.round))[1] AS first_deadline
      FROM assignments a WHERE a.role <> 'co'
      GROUP BY a.suggestion_id, a.unit_id
      HAVING bool_or(a.status <> 'reassigned')
    ),
    facts AS (
      SELECT s.id, m.unit_id, COALESCE(d.town, '') AS town, COALESCE(NULLIF(s.topic, ''), '${UNCLASSIFIED_TOPIC}') AS topic, s.session_year, congress_session_key(s.submitted_at) AS session_key,
        s.status IN ('closed', 'published') AS closed,
        (r1.sent_at IS NOT NULL AND (m.first_deadline IS NULL OR r1.sent_at <= m.first_deadline)) AS on_time,
        rl.sent_at IS NOT NULL AS replied,
        (rl.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.suggestion_id = s.id AND c.unit_id = m.unit_id
          AND c.contacted_on <= (rl.sent_at AT TIME ZONE 'Asia/Shanghai')::date AND c.form = ANY(${inPerson}::varchar[]))) AS met,
        (rl.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.suggestion_id = s.id AND c.unit_id = m.unit_id
          AND c.contacted_on <= (rl.sent_at AT TIME ZONE 'Asia/Shanghai')::date)) AS contacted,
        rl.category,
        ev.rating
      FROM suggestions s
      JOIN main m ON m.suggestion_id = s.id
      LEFT JOIN deputies d ON d.id = s.lead_deputy_id
      LEFT JOIN LATERAL (SELECT r.sent_at FROM replies r WHERE r.suggestion_id = s.id AND r.unit_id = m.unit_id AND r.kind = 'reply' AND r.round = 1 AND r.sent_at IS NOT NULL) r1 ON true
      LEFT JOIN LATERAL (SELECT r.sent_at, r.category FROM replies r WHERE r.suggestion_id = s.id AND r.unit_id = m.unit_id AND r.kind = 'reply' AND r.sent_at IS NOT NULL ORDER BY r.round DESC LIMIT 1) rl ON true
      LEFT JOIN LATERAL (SELECT e.rating FROM evaluations e WHERE e.suggestion_id = s.id ORDER BY e.round DESC LIMIT 1) ev ON true
      WHERE ${where.join(' AND ')}
    )`;
}

/**
 * Rows to count: per unit, the fact rows themselves; per town or session, one row per item, which
 * counts as replied (on time, met, solved) only when every main unit of it did.
 */
function groupedSql(by: StatsBy | 'all'): string {
  if (by === 'unit') {
    return `grp AS (SELECT f.unit_id::text AS key, f.id, f.closed, f.on_time, f.replied, f.met, f.contacted,
      f.category = 'A' AS solved, f.category IN ('A', 'B') AS solved_ab, f.rating FROM facts f)`;
  }
  const key =
    by === 'town' ? 'f.town' : by === 'session' ? 'f.session_key' : by === 'topic' ? 'f.topic' : `''`;
  return `grp AS (SELECT ${key} AS key, f.id, bool_or(f.closed) AS closed, bool_and(f.on_time) AS on_time, bool_and(f.replied) AS replied,
      bool_and(f.met) AS met, bool_and(f.contacted) AS contacted, COALESCE(bool_and(f.category = 'A'), false) AS solved,
      COALESCE(bool_and(f.category IN ('A', 'B')), false) AS solved_ab, max(f.rating) AS rating
    FROM facts f GROUP BY ${by === 'all' ? '' : `${key}, `}f.id)`;
}

const countColumns = `count(*)::int AS assigned,
  count(*) FILTER (WHERE g.closed)::int AS closed,
  count(*) FILTER (WHERE g.on_time)::int AS "onTime",
  count(*) FILTER (WHERE g.replied)::int AS replied,
  count(*) FILTER (WHERE g.replied AND g.met)::int AS met,
  count(*) FILTER (WHERE g.replied AND g.contacted)::int AS contacted,
  count(*) FILTER (WHERE g.rating IS NOT NULL)::int AS evaluated,
  count(*) FILTER (WHERE g.rating = 'satisfied')::int AS satisfied,
  count(*) FILTER (WHERE g.rating = 'basically_satisfied')::int AS "basicallySatisfied",
  count(*) FILTER (WHERE g.replied AND g.solved)::int AS solved,
  count(*) FILTER (WHERE g.replied AND g.solved_ab)::int AS "solvedAB"`;

const cubeColumns = `unit_id, town, session_year, assigned, closed, on_time, replied, met, contacted, evaluated, satisfied,
  basically_satisfied, solved, solved_ab, session_key`;
// COALESCE: the total of a filter that matches nothing is zeros (as counted from the records), not NULLs.
const sumColumns = `COALESCE(sum(c.assigned), 0)::int AS assigned, COALESCE(sum(c.closed), 0)::int AS closed,
  COALESCE(sum(c.on_time), 0)::int AS "onTime", COALESCE(sum(c.replied), 0)::int AS replied, COALESCE(sum(c.met), 0)::int AS met,
  COALESCE(sum(c.contacted), 0)::int AS contacted, COALESCE(sum(c.evaluated), 0)::int AS evaluated,
  COALESCE(sum(c.satisfied), 0)::int AS satisfied, COALESCE(sum(c.basically_satisfied), 0)::int AS "basicallySatisfied",
  COALESCE(sum(c.solved), 0)::int AS solved, COALESCE(sum(c.solved_ab), 0)::int AS "solvedAB"`;

const ratio = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

export function withRates<T extends StatsCounts>(c: T): T & StatsRates {
  return {
    ...c,
    closedRate: ratio(c.closed, c.assigned),
    onTimeRate: ratio(c.onTime, c.assigned),
    meetingRate: ratio(c.met, c.replied),
    contactRate: ratio(c.contacted, c.replied),
    satisfiedRate: ratio(c.satisfied, c.evaluated),
    basicallySatisfiedRate: ratio(c.basicallySatisfied, c.evaluated),
    solvedRate: ratio(c.solved, c.replied),
    solvedABRate: ratio(c.solvedAB, c.replied),
  };
}

/** Statuses in which a unit is still expected to act (the supervision lists). */
const OPEN_STATUSES = ['assigned', 'handling', 'rehandling'];

/**
 * Overdue: the projection says so, or a part of the current round passed its deadline without its
 * reply or opinion sent: `open_deadline_at` (kept by the database, migration ScaleProjections) is
 * the earliest deadline among those parts, so one indexed column answers it.
 */
// No open part (open_deadline_at NULL) is not overdue: false, not NULL (NOT NULL would drop the item).
const overdueExpr = `(s.overdue OR (s.open_deadline_at IS NOT NULL AND s.open_deadline_at < now()))`;

export interface SupervisionItem {
  id: string;
  title: string;
  status: string;
  registrationNo: string | null;
  leadDeputyName: string | null;
  town: string | null;
  sessionYear: number | null;
  keySupervision: boolean;
  /** The earliest open deadline among the units that still have to act. */
  deadlineAt: string | null;
  overdue: boolean;
  units: {
    unitId: string;
    unitName: string;
    role: string;
    status: string;
    deadlineAt: string | null;
    assignedAt?: string | null;
    deadlineProvisional?: boolean;
  }[];
  /** The deadline falls in, or is counted through, a year whose holidays are not official yet. */
  deadlineProvisional?: boolean;
  urgeCount: number;
  lastUrgedAt: string | null;
}

export interface TodayItem {
  id: string;
  title: string;
  status: string;
  registrationNo: string | null;
  leadDeputyName: string | null;
  keySupervision: boolean;
  deadlineAt: string | null;
  overdue: boolean;
}

export interface TrendRow {
  month: string;
  received: number;
  assigned: number;
  replied: number;
  onTime: number;
  evaluated: number;
  satisfied: number;
  satisfiedRate: number | null;
}

export class StatsRepository {
  constructor(private ds: DataSource) {}

  /**
   * Counts and rates per group, read from the maintained aggregate (`stats_cube` plus the changes
   * not yet folded in, `stats_delta`; migration ScaleProjections): a few hundred rows at most,
   * whatever the number of items. Per unit, and whenever a unit is chosen, the rows of the units;
   * per town or session otherwise, the item-level rows (each item once). Same figures as
   * {@link statsFromRecords}, which computes them from the records.
   */
  async stats(by: StatsBy, f: StatsFilter): Promise<{ rows: StatsRow[]; total: StatsCounts & StatsRates }> {
    // 主题 is not a dimension of the maintained aggregate: counted from the records (the same facts).
    if (by === 'topic') return this.statsFromRecords(by, f);
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (by === 'unit' && !f.unitId) where.push(`c.unit_id <> '${STATS_ITEM_UNIT}'`);
    else where.push(`c.unit_id = ${f.unitId ? `${p(f.unitId)}::uuid` : `'${STATS_ITEM_UNIT}'`}`);
    if (f.sessionYear !== undefined) where.push(`c.session_year = ${p(f.sessionYear)}::int`);
    if (f.session !== undefined) where.push(`c.session_key = ${p(f.session)}`);
    if (f.town !== undefined) where.push(`c.town = ${p(f.town)}`);
    const w = where.join(' AND ');
    // 届次: the congress session an item was submitted in, or 闭会期间 of its term (stats_cube.session_key).
    const key = by === 'unit' ? 'c.unit_id::text' : by === 'town' ? 'c.town' : 'c.session_key';
    const label =
      by === 'unit' ? 'COALESCE(u.name, g.key)' : by === 'session' ? sessionLabelSql('g.key') : 'g.key';
    const rows: (StatsCounts & { key: string; label: string })[] = await this.ds.query(
      `WITH c AS (SELECT * FROM stats_cube UNION ALL SELECT ${cubeColumns} FROM stats_delta),
       g AS (SELECT ${key} AS key, ${sumColumns} FROM c WHERE ${w} GROUP BY 1 HAVING sum(c.assigned) > 0)
       SELECT g.*, ${label} AS label FROM g
       ${by === 'unit' ? 'LEFT JOIN units u ON u.id::text = g.key ORDER BY u.code' : by === 'session' ? `ORDER BY ${sessionOrderSql('g.key')}` : 'ORDER BY g.key'}`,
      params,
    );
    // The total counts each item once (an item of two 分办 units is one item): the item-level rows,
    // or the chosen unit's rows (one per item of that unit).
    const totalParams: unknown[] = [];
    const tp = (v: unknown) => {
      totalParams.push(v);
      return `$${totalParams.length}`;
    };
    const tw = [`c.unit_id = ${f.unitId ? `${tp(f.unitId)}::uuid` : `'${STATS_ITEM_UNIT}'`}`];
    if (f.sessionYear !== undefined) tw.push(`c.session_year = ${tp(f.sessionYear)}::int`);
    if (f.session !== undefined) tw.push(`c.session_key = ${tp(f.session)}`);
    if (f.town !== undefined) tw.push(`c.town = ${tp(f.town)}`);
    const totalRows: StatsCounts[] = await this.ds.query(
      `WITH c AS (SELECT * FROM stats_cube UNION ALL SELECT ${cubeColumns} FROM stats_delta)
       SELECT ${sumColumns} FROM c WHERE ${tw.join(' AND ')}`,
      totalParams,
    );
    return { rows: rows.map((r) => withRates(r)), total: withRates(totalRows[0]!) };
  }

  /** The same figures computed from the records (no aggregate): what the aggregate is checked against. */
  async statsFromRecords(
    by: StatsBy,
    f: StatsFilter,
  ): Promise<{ rows: StatsRow[]; total: StatsCounts & StatsRates }> {
    const params: unknown[] = [];
    const facts = factsSql(f, params);
    const label =
      by === 'unit' ? `COALESCE(u.name, g.key)` : by === 'session' ? sessionLabelSql('g.key') : 'g.key';
    const join = by === 'unit' ? 'LEFT JOIN units u ON u.id::text = g.key' : '';
    const order =
      by === 'unit'
        ? 'min(u.code)'
        : by === 'session'
          ? sessionOrderSql('g.key')
          : by === 'topic'
            ? 'count(*) DESC, g.key'
            : 'g.key';
    const rows: (StatsCounts & { key: string; label: string })[] = await this.ds.query(
      `WITH ${facts}, ${groupedSql(by)}
       SELECT g.key, ${label} AS label, ${countColumns} FROM grp g ${join}
       GROUP BY g.key${by === 'unit' ? ', u.name' : ''} ORDER BY ${order}`,
      params,
    );
    const totalParams: unknown[] = [];
    const totalRows: StatsCounts[] = await this.ds.query(
      `WITH ${factsSql(f, totalParams)}, ${groupedSql('all')}
       SELECT ${countColumns} FROM grp g`,
      totalParams,
    );
    return { rows: rows.map((r) => withRates(r)), total: withRates(totalRows[0]!) };
  }

  /**
   * The items behind one cell of the table: the group's items with the flags of each, from the
   * stored facts (`stats_facts`, one row per item × main unit, kept by the database).
   */
  async items(
    by: StatsBy,
    key: string | undefined,
    search: string | undefined,
    f: StatsFilter,
    limit: number,
    offset: number,
  ) {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const fw: string[] = [];
    if (f.sessionYear !== undefined) fw.push(`f.session_year = ${p(f.sessionYear)}::int`);
    if (f.session !== undefined) fw.push(`f.session_key = ${p(f.session)}`);
    if (f.unitId) fw.push(`f.unit_id = ${p(f.unitId)}::uuid`);
    if (f.town !== undefined) fw.push(`f.town = ${p(f.town)}`);
    const base = [...fw];
    if (key !== undefined) {
      if (by === 'unit') fw.push(/^[0-9a-f-]{36}$/i.test(key) ? `f.unit_id = ${p(key)}::uuid` : 'false');
      else if (by === 'town') fw.push(`f.town = ${p(key)}`);
      else if (by === 'topic')
        fw.push(
          `COALESCE(NULLIF((SELECT x.topic FROM suggestions x WHERE x.id = f.suggestion_id), ''), '${UNCLASSIFIED_TOPIC}') = ${p(key)}`,
        );
      else fw.push(`f.session_key = ${p(key)}`);
    }
    // A unit key that is not an id matches nothing (and must not walk every item to find that out).
    if (fw.includes('false')) return { items: [], total: 0 };
    // The cell's conditions' values (the search's pattern comes after them).
    const factParams = [...params];
    let sw = 'true';
    if (search) {
      const like = p(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      sw = `(s.title ILIKE ${like} ESCAPE '\\' OR s.registration_no ILIKE ${like} ESCAPE '\\')`;
    }
    const facts = fw.length ? fw.join(' AND ') : 'true';
    // One stats_facts row per item × unit: with one unit fixed, each item of the cell has one row.
    const oneUnit = !!f.unitId || (by === 'unit' && key !== undefined);
    const countParams = [...params];
    const last = offset + limit;
    // The page walks suggestions by registration number (newest first) and keeps the items of the
    // cell (a probe of stats_facts' primary key each): a cell holds a few percent of the items, so
    // the first pages read a few thousand index entries instead of every item of the cell (34,000
    // for a large unit at a million items) to sort them. Items without a number come last, by id,
    // as `registration_no DESC NULLS LAST, id` orders them: read only when the page reaches past
    // the numbered ones (assigned items all have one; that walk is long).
    const inCell = `EXISTS (SELECT 1 FROM stats_facts f WHERE f.suggestion_id = s.id AND ${facts}) AND ${sw}`;
    const arm = async (numbered: boolean, n: number): Promise<string[]> =>
      (
        (await this.ds.query(
          `SELECT s.id FROM suggestions s WHERE s.registration_no IS ${numbered ? 'NOT NULL' : 'NULL'} AND ${inCell}
           ORDER BY ${numbered ? 's.registration_no DESC' : 's.id'} LIMIT $${params.length + 1}::bigint`,
          [...params, n],
        )) as { id: string }[]
      ).map((r) => r.id);
    const pageIds = async () => {
      const ids = await arm(true, last);
      if (ids.length < last) ids.push(...(await arm(false, last - ids.length)));
      return ids.slice(offset);
    };
    const [total, ids] = await Promise.all([
      (sw === 'true'
        ? this.ds.query(
            `SELECT ${oneUnit ? 'count(*)' : 'count(DISTINCT f.suggestion_id)'}::int AS n FROM stats_facts f WHERE ${facts}`,
            countParams,
          )
        : this.ds.query(
            `SELECT count(*)::int AS n FROM suggestions s WHERE ${inCell}`,
            countParams,
          )) as Promise<{ n: number }[]>,
      pageIds(),
    ]);
    const items = ids.length
      ? await this.ds.query(
          `SELECT s.id, s.title, s.status, s.registration_no AS "registrationNo", d.name AS "leadDeputyName", d.town, s.session_year AS "sessionYear",
             g.closed, g."onTime", g.replied, g.met, g.contacted, g.solved, g.rating,
             COALESCE((SELECT string_agg(DISTINCT fu.name, '、') FROM stats_facts f JOIN units fu ON fu.id = f.unit_id
               WHERE f.suggestion_id = s.id${base.length ? ` AND ${base.join(' AND ')}` : ''}), '') AS units
           FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id
           CROSS JOIN LATERAL (SELECT bool_or(f.closed) AS closed, bool_and(f.on_time) AS "onTime", bool_and(f.replied) AS replied,
               bool_and(f.met) AS met, bool_and(f.contacted) AS contacted, bool_and(f.solved) AS solved, max(f.rating) AS rating
             FROM stats_facts f WHERE f.suggestion_id = s.id AND ${facts}) g
           WHERE s.id = ANY($${factParams.length + 1}::uuid[])
           ORDER BY s.registration_no DESC NULLS LAST, s.id`,
          [...factParams, ids],
        )
      : [];
    return { items, total: total[0]!.n };
  }

  /**
   * 按月趋势: per month (China time) of the last `months`, newest last:
   * - received: items submitted (for a unit: parts assigned to it) in the month;
   * - assigned: items first assigned (for a unit: the same as received);
   * - replied / onTime: first-round replies sent in the month (item × main unit), and those sent by
   *   the part's first deadline;
   * - evaluated / satisfied: ratings recorded in the month, and those 满意.
   *
   * Read from the maintained aggregate (`stats_trend_cube` plus the changes not yet folded in,
   * `stats_trend_delta`; migration TrendAggregate): the item-level rows (unit `ITEM`), or the chosen
   * unit's, of the window's months, at most a few thousand rows whatever the number of items. Same
   * rows as {@link trendFromRecords}, which counts them from the records.
   */
  async trend(months: number, f: StatsFilter): Promise<TrendRow[]> {
    const params: unknown[] = [months, f.unitId ?? STATS_ITEM_UNIT];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [
      `c.unit_id = $2::uuid`,
      `c.month >= (SELECT min(month) FROM months)`,
      `c.month <= (SELECT max(month) FROM months)`,
    ];
    if (f.sessionYear !== undefined) where.push(`c.session_year = ${p(f.sessionYear)}::int`);
    if (f.session !== undefined) where.push(`c.session_key = ${p(f.session)}`);
    if (f.town !== undefined) where.push(`c.town = ${p(f.town)}`);
    const w = where.join(' AND ');
    const cols = `c.month, c.received, c.assigned, c.replied, c.on_time, c.evaluated, c.satisfied`;
    const rows: TrendRow[] = await this.ds.query(
      `WITH months AS (
         SELECT m::date AS month FROM generate_series(
           date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - ($1::int - 1) * interval '1 month',
           date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai'), interval '1 month') m),
       c AS (SELECT ${cols} FROM stats_trend_cube c WHERE ${w}
             UNION ALL SELECT ${cols} FROM stats_trend_delta c WHERE ${w})
       SELECT to_char(m.month, 'YYYY-MM') AS month, COALESCE(sum(c.received), 0)::int AS received,
              COALESCE(sum(c.assigned), 0)::int AS assigned, COALESCE(sum(c.replied), 0)::int AS replied,
              COALESCE(sum(c.on_time), 0)::int AS "onTime", COALESCE(sum(c.evaluated), 0)::int AS evaluated,
              COALESCE(sum(c.satisfied), 0)::int AS satisfied
       FROM months m LEFT JOIN c ON c.month = m.month
       GROUP BY m.month ORDER BY m.month`,
      params,
    );
    return rows.map((r) => ({ ...r, satisfiedRate: ratio(r.satisfied, r.evaluated) }));
  }

  /** {@link trend} counted from the records (each table read in the window): the aggregate's definition. */
  async trendFromRecords(months: number, f: StatsFilter): Promise<TrendRow[]> {
    const params: unknown[] = [months];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const unit = f.unitId ? p(f.unitId) : null;
    const sw: string[] = ['s.merged_into_id IS NULL'];
    if (f.sessionYear !== undefined) sw.push(`s.session_year = ${p(f.sessionYear)}::int`);
    if (f.session !== undefined) sw.push(`congress_session_key(s.submitted_at) = ${p(f.session)}`);
    if (f.town !== undefined)
      sw.push(`COALESCE((SELECT d.town FROM deputies d WHERE d.id = s.lead_deputy_id), '') = ${p(f.town)}`);
    const sWhere = sw.join(' AND ');
    const month = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
    const unitCond = unit ? `AND a.unit_id = ${unit}::uuid` : '';
    // Only the window's rows are read (each table by its time index; migration QueryIndexes): the
    // first month's start, China time, as an instant. Every table's whole history was aggregated
    // before (over 30 s at a million items: the 统计表 export timed out).
    const since = `((date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - ($1::int - 1) * interval '1 month') AT TIME ZONE 'Asia/Shanghai')`;
    const rows: TrendRow[] = await this.ds.query(
      `WITH months AS (
         SELECT to_char(m, 'YYYY-MM') AS month FROM generate_series(
           date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - ($1::int - 1) * interval '1 month',
           date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai'), interval '1 month') m),
       first_assigned AS (
         SELECT a.suggestion_id, min(a.assigned_at) AS at FROM assignments a JOIN suggestions s ON s.id = a.suggestion_id
         WHERE ${sWhere} ${unitCond} AND a.assigned_at >= ${since}
           -- first assigned in the window: no earlier assignment (of the unit) before it
           AND NOT EXISTS (SELECT 1 FROM assignments a0 WHERE a0.suggestion_id = a.suggestion_id
             ${unit ? `AND a0.unit_id = ${unit}::uuid` : ''} AND a0.assigned_at < ${since})
         GROUP BY a.suggestion_id),
       rec AS (${
         unit
           ? `SELECT ${month('fa.at')} AS month, count(*)::int AS n FROM first_assigned fa GROUP BY 1`
           : `SELECT ${month('s.submitted_at')} AS month, count(*)::int AS n FROM suggestions s WHERE s.submitted_at >= ${since} AND ${sWhere} GROUP BY 1`
       }),
       asg AS (SELECT ${month('fa.at')} AS month, count(*)::int AS n FROM first_assigned fa GROUP BY 1),
       rep AS (
         SELECT ${month('r.sent_at')} AS month, count(*)::int AS n,
                count(*) FILTER (WHERE a.deadline_at IS NULL OR r.sent_at <= a.deadline_at)::int AS on_time
         FROM replies r
         JOIN assignments a ON a.suggestion_id = r.suggestion_id AND a.unit_id = r.unit_id AND a.round = 1 AND a.role <> 'co'
         JOIN suggestions s ON s.id = r.suggestion_id
         WHERE r.kind = 'reply' AND r.round = 1 AND r.sent_at >= ${since} AND ${sWhere} ${unitCond}
         GROUP BY 1),
       ev AS (
         SELECT ${month('e.created_at')} AS month, count(*)::int AS n,
                count(*) FILTER (WHERE e.rating = 'satisfied')::int AS satisfied
         FROM evaluations e JOIN suggestions s ON s.id = e.suggestion_id
         WHERE e.created_at >= ${since} AND ${sWhere} ${unit ? `AND EXISTS (SELECT 1 FROM assignments a WHERE a.suggestion_id = s.id ${unitCond} AND a.role <> 'co')` : ''}
         GROUP BY 1)
       SELECT m.month, COALESCE(rec.n, 0) AS received, COALESCE(asg.n, 0) AS assigned, COALESCE(rep.n, 0) AS replied,
              COALESCE(rep.on_time, 0) AS "onTime", COALESCE(ev.n, 0) AS evaluated, COALESCE(ev.satisfied, 0) AS satisfied
       FROM months m LEFT JOIN rec USING (month) LEFT JOIN asg USING (month) LEFT JOIN rep USING (month) LEFT JOIN ev USING (month)
       ORDER BY m.month`,
      params,
    );
    return rows.map((r) => ({ ...r, satisfiedRate: ratio(r.satisfied, r.evaluated) }));
  }

  /**
   * 今日关注's other lists: items awaiting the consultation after a second 不满意 (replied, round ≥ 2,
   * the latest rating 不满意, no consultation summary yet), and the open key items (重点督办), each
   * with its total.
   */
  async today(limit: number) {
    const list = async (where: string) => {
      const [items, total] = await Promise.all([
        this.ds.query(
          `SELECT s.id, s.title, s.status, s.registration_no AS "registrationNo", d.name AS "leadDeputyName",
             s.key_supervision AS "keySupervision", s.open_deadline_at AS "deadlineAt", ${overdueExpr} AS overdue
           FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id
           WHERE ${where} ORDER BY s.open_deadline_at ASC NULLS LAST, s.updated_at DESC, s.id LIMIT $1`,
          [limit],
        ) as Promise<TodayItem[]>,
        this.ds.query(`SELECT count(*)::int AS n FROM suggestions s WHERE ${where}`) as Promise<
          { n: number }[]
        >,
      ]);
      return { items, total: total[0]?.n ?? 0 };
    };
    const [awaitingConsultation, key] = await Promise.all([
      list(`s.status = 'replied' AND s.round >= 2 AND s.consultation_summary IS NULL
        AND (SELECT e.rating FROM evaluations e WHERE e.suggestion_id = s.id ORDER BY e.round DESC LIMIT 1) = 'unsatisfied'`),
      list(
        `s.key_supervision AND s.status NOT IN ('closed', 'published', 'rejected', 'converted', 'merged', 'withdrawn')`,
      ),
    ]);
    return { awaitingConsultation, key };
  }

  /** Overdue items (逾期) or, with `withinWorkingDays`, items due within that many working days (临期), not yet overdue. */
  async supervision(
    user: SessionUser,
    kind: 'overdue' | 'at-risk',
    opts: {
      calendar?: WorkCalendar;
      withinWorkingDays?: number;
      unitId?: string;
      limit: number;
      offset: number;
    },
  ) {
    const unit = ownUnit(user) ?? opts.unitId;
    let cutoff: string | undefined;
    if (kind === 'at-risk') {
      const today = chinaDateOf(Date.now());
      const lastDay = opts.calendar!.addWorkingDays(today, opts.withinWorkingDays ?? 5);
      // Due by the end of the N-th working day from today (China time), not yet overdue.
      cutoff = new Date(chinaDayEnd(lastDay)).toISOString();
    }
    const detail = (pageSql: string) => `WITH page AS (${pageSql})
         SELECT s.id, s.title, s.status, s.registration_no AS "registrationNo", d.name AS "leadDeputyName", d.town,
           s.session_year AS "sessionYear", s.key_supervision AS "keySupervision", ${overdueExpr} AS overdue,
           s.open_deadline_at AS "deadlineAt",
           COALESCE((SELECT json_agg(json_build_object('unitId', a.unit_id, 'unitName', u.name, 'role', a.role, 'status', a.status, 'deadlineAt', a.deadline_at, 'assignedAt', a.assigned_at) ORDER BY a.role DESC, u.code)
              FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.suggestion_id = s.id AND a.round = s.round), '[]'::json) AS units,
           (SELECT count(*)::int FROM urges g WHERE g.suggestion_id = s.id) AS "urgeCount",
           (SELECT max(g.created_at) FROM urges g WHERE g.suggestion_id = s.id) AS "lastUrgedAt"
         FROM page JOIN suggestions s ON s.id = page.id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
         ORDER BY s.open_deadline_at ASC NULLS LAST, s.id`;
    if (unit) return this.unitSupervision(kind, unit, cutoff, opts, detail);
    const params: unknown[] = [OPEN_STATUSES];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [`s.status = ANY($1::varchar[])`];
    if (kind === 'overdue') where.push(overdueExpr);
    else
      where.push(
        `s.open_deadline_at >= now() AND NOT s.overdue AND s.open_deadline_at <= ${p(cutoff)}::timestamptz`,
      );
    const w = where.join(' AND ');
    const countParams = [...params];
    const limit = p(opts.limit);
    const offset = p(opts.offset);
    // The page walks the open-deadline index in order; the total is exact up to COUNT_CAP, then estimated.
    const [{ total, totalExact }, items] = await Promise.all([
      countCapped(this.ds, `FROM suggestions s WHERE ${w}`, countParams),
      this.ds.query(
        detail(
          `SELECT s.id FROM suggestions s WHERE ${w} ORDER BY s.open_deadline_at ASC NULLS LAST, s.id LIMIT ${limit}::int OFFSET ${offset}::bigint`,
        ),
        params,
      ) as Promise<SupervisionItem[]>,
    ]);
    return { items, total, totalExact };
  }

  /**
   * A unit's supervision list (its own, or an overseer's choice): the items the unit has any part in
   * that are overdue (or due soon), with the exact total. The matching items are found as one set,
   * the few hundred or thousand open items of the list (from partial indexes: flagged overdue open
   * items, `idx_suggestions_overdue_open`; deadline passed but not flagged yet, or due soon,
   * `idx_suggestions_due_unflagged`) joined by hash with the unit's items (index-only,
   * `idx_assignments_unit_status`), instead of probing the unit's assignments once per overdue item
   * and counting the same way (1.5-2 s at a million items).
   */
  private async unitSupervision(
    kind: 'overdue' | 'at-risk',
    unit: string,
    cutoff: string | undefined,
    opts: { limit: number; offset: number },
    detail: (pageSql: string) => string,
  ): Promise<{ items: SupervisionItem[]; total: number; totalExact: boolean }> {
    // Literal statuses: the partial index's predicate must be provable from the query.
    const open = `s.status IN (${OPEN_STATUSES.map((x) => `'${x}'`).join(', ')})`;
    const params: unknown[] = [unit];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    // Two disjoint arms of overdueExpr (by the flag), or the due-soon range. `(…) IS TRUE`: the
    // status is checked on the few rows of the deadline index's range, not ANDed with the status
    // index's 100,000 open items (the planner overestimates the range).
    const arms =
      kind === 'overdue'
        ? `SELECT s.id, s.open_deadline_at FROM suggestions s WHERE s.overdue AND ${open}
           UNION ALL
           SELECT s.id, s.open_deadline_at FROM suggestions s WHERE NOT s.overdue AND s.open_deadline_at < now() AND (${open}) IS TRUE`
        : `SELECT s.id, s.open_deadline_at FROM suggestions s
           WHERE NOT s.overdue AND s.open_deadline_at >= now() AND s.open_deadline_at <= ${p(cutoff)}::timestamptz AND (${open}) IS TRUE`;
    const limit = p(opts.limit);
    const offset = p(opts.offset);
    // One pass over the set gives the total and the page's ids; the page's details are read by id.
    const found: { n: number; ids: string[] | null }[] = await this.ds.query(
      `WITH hit AS MATERIALIZED (
         SELECT x.id, x.open_deadline_at FROM (${arms}) x
         WHERE x.id IN (SELECT ua.suggestion_id FROM assignments ua WHERE ua.unit_id = $1::uuid)),
       pg AS (SELECT hit.id, hit.open_deadline_at FROM hit ORDER BY hit.open_deadline_at ASC NULLS LAST, hit.id
              LIMIT ${limit}::int OFFSET ${offset}::bigint)
       SELECT (SELECT count(*)::int FROM hit) AS n, (SELECT array_agg(pg.id) FROM pg) AS ids`,
      params,
    );
    const ids = found[0]?.ids ?? [];
    const items: SupervisionItem[] = ids.length
      ? await this.ds.query(detail(`SELECT unnest($1::uuid[]) AS id`), [ids])
      : [];
    return { items, total: found[0]?.n ?? 0, totalExact: true };
  }
}
