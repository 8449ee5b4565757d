/** Units' requests (申请调整 / 申请延期) as the reviewer's and the units' lists show them. */
import type { DataSource } from 'typeorm';

export class UnitRequestRepository {
  constructor(private ds: DataSource) {}

  /** Oldest first, at most 500; `unitId` limits to one unit's requests, `status` 'all' takes every status. */
  async list(f: { unitId?: string; status: 'pending' | 'approved' | 'refused' | 'all' }): Promise<unknown[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (f.unitId) {
      params.push(f.unitId);
      where.push(`q.unit_id = $${params.length}`);
    }
    if (f.status !== 'all') {
      params.push(f.status);
      where.push(`q.status = $${params.length}`);
    }
    return this.ds.query(
      `SELECT q.id, q.suggestion_id AS "suggestionId", s.title, s.registration_no AS "registrationNo", s.status AS "suggestionStatus",
         q.unit_id AS "unitId", u.name AS "unitName", q.round, q.kind, q.reason, q.requested, q.status, q.decision_note AS "decisionNote",
         q.created_at AS "createdAt", q.decided_at AS "decidedAt", rb.display_name AS "requestedByName"
       FROM unit_requests q JOIN suggestions s ON s.id = q.suggestion_id JOIN units u ON u.id = q.unit_id
       LEFT JOIN users rb ON rb.id = q.requested_by
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.created_at LIMIT 500`,
      params,
    );
  }
}
