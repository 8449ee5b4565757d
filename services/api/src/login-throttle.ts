/**
 * 登录限制 (ASVS V2.2.1): failed sign-ins are counted per account and per client address, in
 * PostgreSQL so every API instance shares them. Past the threshold a key is locked for a growing time
 * (the first lock, doubled with each further failure, up to a maximum); while either key is locked the
 * password is not even checked. A success clears the account's count (not the address's: a stuffing
 * run that hits one valid password keeps its address lock).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { config } from '@jianyi/platform';

export type ThrottlePolicy = typeof config.loginThrottle;

export const accountKey = (username: string) => `account:${username.toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** Seconds until the later of the keys' locks ends, or 0 when neither is locked. */
export async function lockedFor(m: EntityManager, keys: string[]): Promise<number> {
  const rows: { s: number | null }[] = await m.query(
    `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS s FROM login_throttle
     WHERE key = ANY($1::varchar[]) AND locked_until > now()`,
    [keys],
  );
  return Math.max(0, rows[0]?.s ?? 0);
}

/**
 * Counts a failure for the key (a count older than the window starts again) and locks it when the
 * count reaches the threshold. Returns the count and whether this failure started a lock.
 */
export async function recordFailure(
  m: EntityManager,
  key: string,
  threshold: number,
  p: ThrottlePolicy = config.loginThrottle,
): Promise<{ failures: number; lockedNow: boolean }> {
  const rows: { failures: number; locked: boolean }[] = await m.query(
    `INSERT INTO login_throttle AS t (key, failures, last_failure_at) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.last_failure_at < now() - make_interval(mins => $2) THEN 1 ELSE t.failures + 1 END,
       last_failure_at = now()
     RETURNING failures, false AS locked`,
    [key, p.windowMinutes],
  );
  const failures = rows[0]!.failures;
  if (failures < threshold) return { failures, lockedNow: false };
  const seconds = Math.min(p.lockSeconds * 2 ** (failures - threshold), p.maxLockSeconds);
  await m.query(`UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1`, [
    key,
    seconds,
  ]);
  return { failures, lockedNow: failures === threshold };
}

export async function clearFailures(m: EntityManager, key: string): Promise<void> {
  await m.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
}

/**
 * What the audit row keeps of a failed sign-in's username: the name of an existing account, else only
 * a hash — a mistyped password in the username field must never be stored (ASVS V7.1.1).
 */
export const auditedUsername = (username: string, exists: boolean) =>
  exists ? username : `unknown:${createHash('sha256').update(username).digest('hex').slice(0, 16)}`;

/** The owner of a locked account is told, in the app and by mail (security notices are sent at once). */
export async function noticeLock(
  m: EntityManager,
  user: { id: string; email: string | null },
  minutes: number,
  address: string,
): Promise<void> {
  const eventId = randomUUID();
  const title = '账号因多次登录失败已被暂时锁定';
  const body =
    `您的账号连续多次登录失败（最近一次来自 ${address}），已被暂时锁定约 ${minutes} 分钟。` +
    `如果不是您本人操作，请尽快联系系统管理员修改密码。\n` +
    `Your account was locked for about ${minutes} minutes after repeated failed sign-ins (the last from ${address}). ` +
    `If this was not you, ask an administrator to reset your password.`;
  await m.query(
    `INSERT INTO notifications (event_id, user_id, channel, event_type, title, body) VALUES ($1, $2, 'in_app', 'auth.login_locked', $3, $4)`,
    [eventId, user.id, title, body],
  );
  if (user.email)
    await m.query(
      `INSERT INTO notification_deliveries (event_id, event_type, recipient, channel, address, subject, body, deliver_after, next_attempt_at)
       VALUES ($1, 'auth.login_locked', $2, 'email', $3, $4, $5, now(), now())`,
      [eventId, `user:${user.id}`, user.email, title, body],
    );
}
