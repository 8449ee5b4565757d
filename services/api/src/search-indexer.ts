/**
 * Keeps the search vectors current for rows the API did not write itself (seed data, the worker's
 * replies, rows loaded by SQL, text changed elsewhere): the TextSearch migration's trigger marks such
 * rows unsegmented and announces them on `search_stale`; this loop segments them in batches. Each
 * update is conditional on the text it segmented, so a concurrent edit is never overwritten by a stale
 * vector. Until a row is done, searches find it by substring (search.ts).
 */
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import { addTerms, profile, searchDocument } from '@jianyi/text';
import { config, type Logger } from '@jianyi/platform';

const BATCH = 500;

/** Segments up to `limit` unsegmented suggestions and replies; returns how many rows it indexed. */
export async function indexPending(ds: DataSource, limit = BATCH): Promise<number> {
  const s: { id: string; title: string; content: string }[] = await ds.query(
    `SELECT id, title, content FROM suggestions WHERE NOT search_segmented LIMIT $1`,
    [limit],
  );
  if (s.length)
    await ds.query(
      `UPDATE suggestions t SET search_tsv = to_tsvector('simple', v.doc), search_segmented = true
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(id, title, content, doc)
       WHERE t.id = v.id AND t.title = v.title AND t.content = v.content`,
      [
        s.map((r) => r.id),
        s.map((r) => r.title),
        s.map((r) => r.content),
        s.map((r) => searchDocument(r.title, r.content)),
      ],
    );
  const r: { id: string; body: string }[] = await ds.query(
    `SELECT id, body FROM replies WHERE NOT search_segmented LIMIT $1`,
    [limit],
  );
  if (r.length)
    await ds.query(
      `UPDATE replies t SET search_tsv = to_tsvector('simple', v.doc), search_segmented = true
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, body, doc)
       WHERE t.id = v.id AND t.body = v.body`,
      [r.map((x) => x.id), r.map((x) => x.body), r.map((x) => searchDocument(x.body))],
    );
  return s.length + r.length;
}

/** Adds the names of units and towns in the database to the segmenter's dictionary. */
export async function loadDomainTerms(ds: DataSource): Promise<void> {
  const rows: { t: string }[] = await ds.query(
    `SELECT name AS t FROM units UNION SELECT DISTINCT town FROM deputies WHERE town IS NOT NULL`,
  );
  addTerms(rows.map((x) => x.t));
  profile('预热', '加载词频表'); // loads the IDF table now rather than in the first request
}

export async function startSearchIndexer(ds: DataSource, log: Logger): Promise<() => Promise<void>> {
  await loadDomainTerms(ds);
  let running = true;
  let wake: (() => void) | null = null;
  let pending = true;
  const listener = new PgClient({ ...config.pg, application_name: 'jianyi-api-search' });
  await listener.connect();
  listener.on('notification', () => {
    pending = true;
    wake?.();
  });
  listener.on('error', (err) => log.warn({ err: err.message }, 'search listener failed'));
  await listener.query('LISTEN search_stale');
  const loop = async () => {
    while (running) {
      try {
        pending = false;
        const n = await indexPending(ds);
        if (n) log.debug({ n }, 'search vectors written');
        if (n >= BATCH || pending) continue;
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'search indexing failed; retrying');
      }
      await new Promise<void>((res) => {
        const t = setTimeout(res, 30_000);
        wake = () => {
          clearTimeout(t);
          res();
        };
      });
      wake = null;
    }
  };
  void loop();
  return async () => {
    running = false;
    (wake as (() => void) | null)?.();
    await listener.end().catch(() => undefined);
  };
}
