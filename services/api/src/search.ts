/**
 * Keyword search (issue 12) as SQL pieces shared by every list that has a `q`: the suggestion lists of
 * every role, the unit inbox and the public replies. See services/text/src/query.ts for the rules.
 * A row matches when
 *   its search vector matches the segmented query (GIN index) and it contains every literal phrase, or
 *   it is not segmented yet (written by SQL or by the worker a moment ago) and contains every chunk, or
 *   its registration number starts with the query (立案号, case-insensitive).
 */
import { highlight, parseQuery, snippet, type ParsedQuery, type Piece } from '@jianyi/text';

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface SearchSql {
  /** Boolean SQL expression. */
  where: string;
  /** Rank expression for ORDER BY (higher first), or null when only literals were given. */
  rank: string | null;
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
  if (parsed.tsquery) {
    const tq = `to_tsquery('simple', ${p(parsed.tsquery)})`;
    arms.push([`${a}.search_tsv @@ ${tq}`, ...parsed.phrases.map(contains)].join(' AND '));
    rank = `ts_rank_cd(${a}.search_tsv, ${tq})`;
  }
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
  return { where: arms.length ? `(${arms.map((x) => `(${x})`).join(' OR ')})` : 'false', rank, parsed };
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
