import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { config } from '../config';
import { SessionEntity, UserEntity } from '../db/entities';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  deputyId: string | null;
  unitId: string | null;
  /** 主要负责人 of the unit (signs replies on key items). */
  principal: boolean;
  /** After an admin's reset: the user must choose a new password before doing anything else. */
  mustChangePassword: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** The stored form of a session token (the cookie's value); '' for none. */
export const sessionTokenHash = (token: string | undefined) => (token ? sha256(token) : '');

export function toSessionUser(u: UserEntity): SessionUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    deputyId: u.deputyId,
    unitId: u.unitId,
    principal: u.principal,
    mustChangePassword: u.mustChangePassword,
  };
}

/** Creates a session and returns the opaque token for the cookie; only its hash is stored. */
export async function createSession(
  ds: DataSource,
  userId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + config.sessionTtlHours * 3600_000);
  await ds.getRepository(SessionEntity).insert({ tokenHash: sha256(token), userId, expiresAt });
  return { token, expiresAt };
}

export async function resolveSession(ds: DataSource, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const rows: UserEntity[] = await ds
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .innerJoin(SessionEntity, 's', 's.user_id = u.id')
    .where('s.token_hash = :h AND s.expires_at > now() AND u.active', { h: sha256(token) })
    .getMany();
  return rows[0] ? toSessionUser(rows[0]) : null;
}

export async function deleteSession(ds: DataSource, token: string | undefined): Promise<void> {
  if (token) await ds.getRepository(SessionEntity).delete({ tokenHash: sha256(token) });
}

/** Reads the session cookie from a raw Cookie header (the tracker has no cookie middleware). */
export function sessionTokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== config.cookieName) continue;
    // A malformed value (`%`, a lone escape) is no session, not an error.
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
