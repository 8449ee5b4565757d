/** Users as the directories show them (public facts only). */
import type { DataSource } from 'typeorm';

export class UserRepository {
  constructor(private ds: DataSource) {}

  /** The active 督办领导 (supervisors), by name. */
  supervisors(): Promise<{ id: string; displayName: string }[]> {
    return this.ds.query(
      `SELECT id, display_name AS "displayName" FROM users WHERE role = 'supervisor' AND active ORDER BY display_name`,
    );
  }
}
