import type { DataSource, EntityManager } from 'typeorm';
import { problems } from './problem';

/**
 * Runs a creating call at most once per (user, Idempotency-Key). The key row is claimed in the same
 * transaction as the creation, so either both commit or neither does; a concurrent retry waits on
 * the claimed row and then gets the stored answer. A key reused for a different call is refused.
 */
export async function idempotent<T>(
  ds: DataSource,
  userId: string,
  key: string | undefined,
  scope: string,
  run: (m: EntityManager) => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T; replayed: boolean }> {
  if (!key) {
    throw problems.invalid([
      {
        field: 'Idempotency-Key',
        message: '幂等键:请求头 Idempotency-Key 必填',
        messageEn: 'header Idempotency-Key is required',
      },
    ]);
  }
  if (key.length > 100) {
    throw problems.invalid([
      {
        field: 'Idempotency-Key',
        message: '幂等键:不能超过 100 个字符',
        messageEn: 'must be at most 100 characters',
      },
    ]);
  }
  return ds.transaction(async (m) => {
    const claimed: unknown[] = await m.query(
      `INSERT INTO idempotency_keys (user_id, key, scope, response_status, response_body) VALUES ($1,$2,$3,0,'null')
       ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, scope],
    );
    if (claimed.length === 0) {
      const found: { scope: string; response_status: number; response_body: T }[] = await m.query(
        `SELECT scope, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [userId, key],
      );
      const row = found[0]!;
      if (row.scope !== scope)
        throw problems.conflict(
          `Idempotency-Key was already used for ${row.scope}`,
          '幂等键已被其他请求使用',
        );
      return { status: row.response_status, body: row.response_body, replayed: true };
    }
    const result = await run(m);
    await m.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`,
      [userId, key, result.status, JSON.stringify(result.body)],
    );
    return { ...result, replayed: false };
  });
}
