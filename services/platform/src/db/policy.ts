/** The jurisdiction policy in force: the admin's latest choice (table policy_choices), else the default. */
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_POLICY_KEY } from '@jianyi/domain';
import { config } from '../config';

export interface PolicyInForce {
  policyKey: string;
  /** False when no admin has chosen yet and the default applies. */
  chosen: boolean;
  chosenBy: string | null;
  chosenAt: string | null;
}

/** The policy in force: the latest admin choice, else {@link DEFAULT_POLICY_KEY}. */
export async function policyInForce(db: DataSource | EntityManager): Promise<PolicyInForce> {
  const rows: { policyKey: string; chosenBy: string | null; chosenAt: string }[] = await db.query(
    `SELECT policy_key AS "policyKey", chosen_by AS "chosenBy", to_char(chosen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "chosenAt"
     FROM policy_choices ORDER BY id DESC LIMIT 1`,
  );
  const r = rows[0];
  return r
    ? { ...r, chosen: true }
    : { policyKey: DEFAULT_POLICY_KEY, chosen: false, chosenBy: null, chosenAt: null };
}

/**
 * The policy key new work is stamped with: the deployment's pinned `JIANYI_POLICY_VERSION` when set,
 * else the policy in force.
 */
export async function policyKeyForNewWork(db: DataSource | EntityManager): Promise<string> {
  return config.policyVersion ?? (await policyInForce(db)).policyKey;
}
