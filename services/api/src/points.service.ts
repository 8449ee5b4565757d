/** Deputies' 履职积分 (ledger written by the notifier's points consumer): one deputy's entries, the ranking. */
import type { DataSource } from 'typeorm';
import { problems } from './http/problem';
import { isoSql } from './sql';

export interface PointsEntry {
  id: string;
  eventId: string;
  rule: string;
  points: number;
  suggestionId: string | null;
  createdAt: string;
  reason: string;
}

export class PointsService {
  constructor(private readonly ds: DataSource) {}

  async points(deputyId: string): Promise<{ deputyId: string; total: number; entries: PointsEntry[] }> {
    const exists: unknown[] = await this.ds.query(`SELECT 1 FROM deputies WHERE id = $1`, [deputyId]);
    if (!exists.length) throw problems.notFound('deputy');
    const entries: PointsEntry[] = await this.ds.query(
      `SELECT id::text AS id, event_id AS "eventId", rule, points, suggestion_id AS "suggestionId", ${isoSql('created_at')} AS "createdAt", reason
       FROM points_ledger WHERE deputy_id = $1 ORDER BY occurred_at DESC, id DESC`,
      [deputyId],
    );
    return { deputyId, total: entries.reduce((s, e) => s + e.points, 0), entries };
  }

  /** Deputies by total points (competition ranking: equal totals share a rank), by town and by delegation. */
  async ranking(q: { town?: string; delegation?: string; year?: number }) {
    const items = await this.ds.query(
      `SELECT d.id AS "deputyId", d.name, d.town, d.delegation, COALESCE(sum(l.points), 0)::int AS total,
              rank() OVER (ORDER BY COALESCE(sum(l.points), 0) DESC)::int AS rank
       FROM deputies d LEFT JOIN points_ledger l ON l.deputy_id = d.id
         AND ($3::int IS NULL OR extract(year FROM l.occurred_at AT TIME ZONE 'Asia/Shanghai') = $3)
       WHERE ($1::text IS NULL OR d.town = $1) AND ($2::text IS NULL OR d.delegation = $2)
       GROUP BY d.id ORDER BY total DESC, d.name, d.id`,
      [q.town ?? null, q.delegation ?? null, q.year ?? null],
    );
    const facets: { town: string[]; delegation: string[] }[] = await this.ds.query(
      `SELECT COALESCE(array_agg(DISTINCT town) FILTER (WHERE town <> ''), '{}') AS town,
              COALESCE(array_agg(DISTINCT delegation) FILTER (WHERE delegation <> ''), '{}') AS delegation FROM deputies`,
    );
    return { items, towns: facets[0]?.town ?? [], delegations: facets[0]?.delegation ?? [] };
  }
}
