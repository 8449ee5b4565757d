/** Units (承办单位) as every signed-in user may list them, and their remit texts (职责, admin). */
import type { DataSource } from 'typeorm';
import { audit } from '@jianyi/platform';
import type { AdminActor } from './admin.service';

export interface UnitRemit {
  id: string;
  code: string;
  name: string;
  remit: string;
}

export class UnitRepository {
  constructor(private ds: DataSource) {}

  /** Units are public bodies: id, code and name of the active ones (not 撤并), by code. */
  directory(): Promise<{ id: string; code: string; name: string }[]> {
    return this.ds.query(`SELECT id, code, name FROM units WHERE active ORDER BY code`);
  }

  remits(): Promise<UnitRemit[]> {
    return this.ds.query(`SELECT id, code, name, remit FROM units ORDER BY code`);
  }

  /** Sets a unit's remit with its audit row in one transaction; null when there is no such unit. */
  async setRemit(actor: AdminActor, unitId: string, remit: string): Promise<UnitRemit | null> {
    const rows: UnitRemit[] = await this.ds.transaction(async (m) => {
      const before: { remit: string }[] = await m.query(`SELECT remit FROM units WHERE id = $1 FOR UPDATE`, [
        unitId,
      ]);
      if (!before[0]) return [];
      await m.query(`UPDATE units SET remit = $2 WHERE id = $1`, [unitId, remit]);
      const after = await m.query(`SELECT id, code, name, remit FROM units WHERE id = $1`, [unitId]);
      await audit(m, {
        actorUserId: actor.user.id,
        actorRole: actor.user.role,
        action: 'unit.remit_updated',
        entityType: 'unit',
        entityId: unitId,
        before: before[0],
        after: { remit },
        requestId: actor.requestId ?? null,
      });
      return after;
    });
    return rows[0] ?? null;
  }
}
