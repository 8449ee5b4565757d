/**
 * Keyword search (issue 12) as SQL pieces shared by every list that has a `q`: the suggestion lists of
 * every role, the unit inbox and the public replies. See services/text/src/query.ts for the rules.
 * A row matches when
 *   its search vector matches the segmented query (GIN index) and it contains every literal phrase, or
 *   it is not segmented yet (written by SQL or by the worker a moment ago) and contains every chunk, or
 *   its registration number starts with the query (立案号, case-insensitive).
 */
import type { DataSource } from 'typeorm';
import { highlight, parseQuery, snippet, type ParsedQuery, type Piece } from '@jianyi/text';

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface SearchSql {
  /** Boolean SQL expression. */
  where: string;
  /** Rank expression for ORDER BY (higher first), or null when only literals were given. */
  rank: string | null;
  /** The indexed arm alone (the search vector matches, and every quoted phrase), or null. */
  ranked: string | null;
  /** Distance for `ORDER BY … ASC` from a RUM index (`<=>`), or null; only valid where RUM is installed. */
  distance: string | null;
  /** Every other arm (unsegmented rows by substring, sent replies, registration number), each alone. */
  others: string[];
  parsed: ParsedQuery;
}

/**
 * @param p binds a value and returns its placeholder
 * @param opts.a the suggestions alias; opts.replies: the sent replies' text counts too (public replies).
 */
export function searchSql(
  q: string,
  p: (v: unknown) => string,
  opts: { a?: string; replies?: boolean } = {},
): SearchSql {
  const a = opts.a ?? 's';
  const parsed = parseQuery(q);
  const contains = (lit: string) => {
    const like = p(`%${escapeLike(lit)}%`);
    return `(${a}.title ILIKE ${like} ESCAPE '\\' OR ${a}.content ILIKE ${like} ESCAPE '\\')`;
  };
  const arms: string[] = [];
  let rank: string | null = null;
  let distance: string | null = null;
  if (parsed.tsquery) {
    const tq = `to_tsquery('simple', ${p(parsed.tsquery)})`;
    arms.push([`${a}.search_tsv @@ ${tq}`, ...parsed.phrases.map(contains)].join(' AND '));
    rank = `ts_rank_cd(${a}.search_tsv, ${tq})`;
    distance = `(${a}.search_tsv <=> ${tq})`;
  }
  const ranked = parsed.tsquery ? arms[0]! : null;
  if (parsed.literals.length)
    arms.push(`(NOT ${a}.search_segmented AND ${parsed.literals.map(contains).join(' AND ')})`);
  if (opts.replies) {
    const bodyArms: string[] = [];
    if (parsed.tsquery) bodyArms.push(`kr.search_tsv @@ to_tsquery('simple', ${p(parsed.tsquery)})`);
    if (parsed.literals.length)
      bodyArms.push(
        `(NOT kr.search_segmented AND ${parsed.literals.map((l) => `kr.body ILIKE ${p(`%${escapeLike(l)}%`)} ESCAPE '\\'`).join(' AND ')})`,
      );
    if (bodyArms.length)
      arms.push(`EXISTS (SELECT 1 FROM replies kr WHERE kr.suggestion_id = ${a}.id AND kr.kind = 'reply'
        AND kr.sent_at IS NOT NULL AND (${bodyArms.join(' OR ')}))`);
  }
  if (parsed.registrationPrefix)
    arms.push(
      `lower(${a}.registration_no) LIKE ${p(`${escapeLike(parsed.registrationPrefix.toLowerCase())}%`)} ESCAPE '\\'`,
    );
  return {
    where: arms.length ? `(${arms.map((x) => `(${x})`).join(' OR ')})` : 'false',
    rank,
    ranked,
    distance,
    others: ranked ? arms.slice(1) : arms,
    parsed,
  };
}

/** Above this many matches a list's total is the planner's estimate (`totalExact: false`). */
export const COUNT_CAP = 1000;

/**
 * How many rows `SELECT 1 <fromWhere>` matches: exact up to COUNT_CAP, beyond it the planner's
 * estimate (a count of a million rows is not worth its seconds).
 */
/** What the counting and paging helpers need: a data source or a transaction's entity manager. */
type Queryable = Pick<DataSource, 'query'>;

export async function countCapped(
  ds: Queryable,
  fromWhere: string,
  params: unknown[],
): Promise<{ total: number; totalExact: boolean }> {
  // The estimate first: when the planner expects many times the cap, counting even the first
  // COUNT_CAP + 1 rows is not done. Such a count is planned as a sequential scan that stops early,
  // which reads most of the table when the matches are the newest rows (this year's open items, the
  // overdue ones): 2-3 s at a million items for a page whose own query takes a millisecond.
  const estimate = await estimateRows(ds, `SELECT 1 ${fromWhere}`, params);
  if (estimate > ESTIMATE_TRUSTED) return { total: estimate, totalExact: false };
  const n = await countUpTo(ds, fromWhere, params);
  if (n <= COUNT_CAP) return { total: n, totalExact: true };
  return { total: Math.max(COUNT_CAP + 1, estimate), totalExact: false };
}

/** An estimate above this is taken as it is (no count): well past the cap, where a total is "about". */
const ESTIMATE_TRUSTED = 10 * COUNT_CAP;

/** The rows `SELECT 1 <fromWhere>` matches, counted up to COUNT_CAP + 1. */
async function countUpTo(ds: Queryable, fromWhere: string, params: unknown[]): Promise<number> {
  const counted: { n: number }[] = await ds.query(
    `SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT ${COUNT_CAP + 1}) x`,
    params,
  );
  return counted[0]!.n;
}

/** The planner's estimate of the rows a query returns. */
export async function estimateRows(ds: Queryable, sql: string, params: unknown[]): Promise<number> {
  const plan: { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }[] = await ds.query(
    `EXPLAIN (FORMAT JSON) ${sql}`,
    params,
  );
  return Math.round(plan[0]!['QUERY PLAN'][0]!.Plan['Plan Rows']);
}

const rumOf = new WeakMap<DataSource, Promise<boolean>>();
/**
 * Whether the suggestions' search index is RUM (migration RumSearch1796640000000: when the server has the
 * extension), read once per data source. Then `distance` orders by relevance from the index.
 */
export function searchIndexIsRum(ds: DataSource): Promise<boolean> {
  let v = rumOf.get(ds);
  if (!v) {
    v = (
      ds.query(
        `SELECT am.amname AS am FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'idx_suggestions_search'`,
      ) as Promise<{ am: string }[]>
    ).then((r) => r[0]?.am === 'rum');
    rumOf.set(ds, v);
  }
  return v;
}

/**
 * One page of a keyword search by relevance: the ids in order, and the total (exact up to COUNT_CAP).
 *
 * Every row the search vector matches ranks above every row only another arm matches (a substring of
 * an unsegmented row, a sent reply, a registration number: their rank is 0 or NULL), so the page is
 * taken from the ranked arm first, and from the others (each by its own index, newest first) only when
 * the ranked arm has fewer rows than the page reaches. With RUM the ranked arm's best rows come from the
 * index in order (`<=>`, the index's cover-density rank; equal ranks in the index's order); with GIN
 * every match is ranked with `ts_rank_cd`, then newest first (seconds for a common word at a million).
 *
 * @param from `FROM … ` with the alias `s` for suggestions
 * @param filters the conditions other than the search, with their binds in `params`
 * @param newest the time column that orders the rows of equal rank and the other arms (newest first)
 */
export async function rankedPage(
  ds: DataSource,
  o: {
    from: string;
    filters: string[];
    search: SearchSql;
    params: unknown[];
    newest: string;
    limit: number;
    offset: number;
  },
): Promise<{ ids: string[]; total: number; totalExact: boolean }> {
  const rum = await searchIndexIsRum(ds);
  // The ranked arm and the other arms are separate statements: in one snapshot, so a row the indexer
  // segments between them is found by one of them, not excluded from both.
  return ds.transaction('REPEATABLE READ', (m) => rankedPageIn(m, rum, o));
}

async function rankedPageIn(
  ds: Queryable,
  rum: boolean,
  o: Parameters<typeof rankedPage>[1],
): Promise<{ ids: string[]; total: number; totalExact: boolean }> {
  const { from, search, params, newest, limit, offset } = o;
  const filters = o.filters.length ? o.filters.join(' AND ') : 'true';
  const reach = offset + limit;
  const tail = `${newest} DESC, s.id DESC`;
  let first: string[] = [];
  let firstCount = 0;
  let firstExact = true;
  if (search.ranked) {
    const order = rum ? `${search.distance}` : `${search.rank} DESC NULLS LAST, ${tail}`;
    const fromWhere = `${from} WHERE ${filters} AND ${search.ranked}`;
    const [rows, n] = await Promise.all([
      query<{ id: string; d: number | null; t: number }>(
        ds,
        `SELECT s.id, ${rum ? search.distance : 'NULL::float8'} AS d, extract(epoch FROM ${newest})::float8 AS t
         ${fromWhere} ORDER BY ${order} LIMIT ${reach}`,
        params,
      ),
      countCapped(ds, ...bindUsed(fromWhere, params)).then((c) => c.total),
    ]);
    // RUM returns equal ranks in its own order: within the page, the newest of equal rank first (the
    // GIN order). Only the page is re-sorted, so the pages still split the index's order exactly.
    const page = rows.slice(offset);
    if (rum)
      page.sort((a, b) => (a.d ?? 0) - (b.d ?? 0) || b.t - a.t || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    first = [...rows.slice(0, offset), ...page].map((r) => r.id);
    // Fewer rows than the page reaches: that is all of them.
    firstCount = first.length < reach ? first.length : Math.max(n, first.length);
    firstExact = first.length < reach || n <= COUNT_CAP;
  }
  const ids = first.slice(offset);
  let othersCount = 0;
  if (search.others.length && firstExact) {
    // The other arms' rows that the ranked arm does not hold, each arm by its own index.
    const notRanked = search.ranked ? ` AND NOT COALESCE(${search.ranked}, false)` : '';
    const arm = (x: string, n: number) =>
      `(SELECT s.id, ${newest} AS t ${from} WHERE ${filters} AND (${x})${notRanked} ORDER BY ${tail} LIMIT ${n})`;
    const union = (n: number) => search.others.map((x) => arm(x, n)).join(' UNION ');
    const skip = Math.max(0, offset - firstCount);
    const need = limit - ids.length;
    const [rows, n] = await Promise.all([
      need > 0
        ? query<{ id: string }>(
            ds,
            `SELECT u.id FROM (${union(skip + need)}) u ORDER BY u.t DESC, u.id DESC LIMIT ${need} OFFSET ${skip}`,
            params,
          )
        : Promise.resolve([]),
      query<{ n: number }>(ds, `SELECT count(*)::int AS n FROM (${union(COUNT_CAP + 1)}) u`, params),
    ]);
    ids.push(...rows.map((r) => r.id));
    othersCount = n[0]!.n;
  }
  const total = firstCount + othersCount;
  if (total <= COUNT_CAP) return { ids, total, totalExact: true };
  const estimate = await estimateRows(
    ds,
    ...bindUsed(`SELECT 1 ${from} WHERE ${filters} AND ${search.where}`, params),
  );
  return { ids, total: Math.max(COUNT_CAP + 1, estimate), totalExact: false };
}

/** Runs `sql` with only the parameters it uses (PostgreSQL cannot type a parameter a statement never uses). */
function query<T>(ds: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  return ds.query(...bindUsed(sql, params)) as Promise<T[]>;
}

/** `sql` renumbered to the `$n` it uses, with those parameters in order. */
export function bindUsed(sql: string, params: unknown[]): [string, unknown[]] {
  const used: unknown[] = [];
  const map = new Map<number, number>();
  const out = sql.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const i = Number(n);
    let j = map.get(i);
    if (j === undefined) {
      used.push(params[i - 1]);
      j = used.length;
      map.set(i, j);
    }
    return `$${j}`;
  });
  return [out, used];
}

export interface Highlighted {
  title: Piece[];
  snippet: Piece[];
}

/** The title and a window of the content with the query's words marked. */
export function highlightRow(row: { title: string; content: string }, parsed: ParsedQuery): Highlighted {
  const terms = [...parsed.terms, ...parsed.phrases.map((x) => x.toLowerCase())];
  return { title: highlight(row.title, terms), snippet: snippet(row.content, terms) };
}
