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

  async ranking(town: string | undefined) {
    const items = await this.ds.query(
      `SELECT d.id AS "deputyId", d.name, d.town, COALESCE(sum(l.points), 0)::int AS total
       FROM deputies d LEFT JOIN points_ledger l ON l.deputy_id = d.id
       WHERE ($1::text IS NULL OR d.town = $1) GROUP BY d.id ORDER BY total DESC, d.name, d.id`,
      [town ?? null],
    );
    return { items };
  }
}
