/** SQL fragments the repositories and services share. */

/** A timestamp column as an ISO-8601 UTC string (…T…Z), as the API answers it. */
export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A LIKE pattern that finds `q` anywhere in a text (its `%`, `_` and `\` taken literally). */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The WHERE clause of a filtered list, with its parameters numbered as they are added. */
export class Filters {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** Adds `cond`, given the placeholder (`$n`) of `value`; nothing when `value` is undefined. */
  add(value: unknown, cond: (p: string) => string): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.conditions.push(cond(`$${this.params.length}`));
    return this;
  }

  /**
   * The keyword over the character-gram index (migration AdminListSearch): `indexed` is the indexed
   * expression word for word (else the index is not used), `columns` the fields the substring is in.
   */
  search(q: string | undefined, indexed: string, columns: string[]): this {
    if (q === undefined) return this;
    this.params.push(q, containsPattern(q));
    const [k, like] = [`$${this.params.length - 1}`, `$${this.params.length}`];
    this.conditions.push(
      `search_grams(${indexed}) @> search_grams(${k}) AND (${columns.map((c) => `${c} ILIKE ${like}`).join(' OR ')})`,
    );
    return this;
  }

  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/**
 * One page of a filtered list and the number of rows the filters leave. `orderBy` must end in a unique
 * column, so that pages neither overlap nor skip a row.
 */
export async function pageOf<T>(
  db: Queryable,
  q: { select: string; from: string; filters: Filters; orderBy: string; page: number; pageSize: number },
): Promise<{ items: T[]; total: number }> {
  const n = q.filters.params.length;
  const [count, items] = await Promise.all([
    db.query(`SELECT count(*)::int AS n FROM ${q.from} ${q.filters.sql}`, q.filters.params) as Promise<
      { n: number }[]
    >,
    db.query(
      `SELECT ${q.select} FROM ${q.from} ${q.filters.sql} ORDER BY ${q.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...q.filters.params, q.pageSize, (q.page - 1) * q.pageSize],
    ) as Promise<T[]>,
  ]);
  return { items, total: count[0]?.n ?? 0 };
}
