import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { problems } from './problem';

/**
 * Runs a creating call at most once per (user, Idempotency-Key). The key row is claimed in the same
 * transaction as the creation, so either both commit or neither does; a concurrent retry waits on
 * the claimed row and then gets the stored answer. A key reused for a different call is refused:
 * another route (409), or the same route with a different body (422, as the IETF Idempotency-Key
 * draft says), compared by a SHA-256 of the request's validated input.
 */
export async function idempotent<T>(
  ds: DataSource,
  userId: string,
  key: string | undefined,
  scope: string,
  run: (m: EntityManager) => Promise<{ status: number; body: T }>,
  request?: unknown,
): Promise<{ status: number; body: T; replayed: boolean }> {
  const hash = request === undefined ? null : fingerprint(request);
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
      `INSERT INTO idempotency_keys (user_id, key, scope, response_status, response_body, request_hash) VALUES ($1,$2,$3,0,'null',$4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, scope, hash],
    );
    if (claimed.length === 0) {
      const found: {
        scope: string;
        response_status: number;
        response_body: T;
        request_hash: string | null;
      }[] = await m.query(
        `SELECT scope, response_status, response_body, request_hash FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [userId, key],
      );
      const row = found[0]!;
      if (row.scope !== scope)
        throw problems.conflict(
          `Idempotency-Key was already used for ${row.scope}`,
          '幂等键已被其他请求使用',
        );
      if (hash && row.request_hash && row.request_hash !== hash)
        throw problems.invalid([
          {
            field: 'Idempotency-Key',
            message: '幂等键:已用于内容不同的请求,请为新请求使用新的幂等键',
            messageEn: 'this key was already used with a different request body; use a new key',
          },
        ]);
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

/** A stable digest of a request's input: object keys sorted, so field order does not matter. */
export function fingerprint(v: unknown): string {
  const canon = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canon)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, canon((x as Record<string, unknown>)[k])]),
          )
        : x;
  return createHash('sha256')
    .update(JSON.stringify(canon(v)))
    .digest('hex');
}
