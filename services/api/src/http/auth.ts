import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { config, ownUnit, resolveSession, type SessionUser } from '@jianyi/platform';
import { HttpProblem, problems } from './problem';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: SessionUser;
      requestId?: string;
    }
  }
}

/** Resolves the session cookie to a user; every route below it requires one. */
export const requireUser = (ds: DataSource) => async (req: Request, _res: Response, next: NextFunction) => {
  const token = (req.cookies as Record<string, string> | undefined)?.[config.cookieName];
  const user = await resolveSession(ds, token);
  if (!user) return next(problems.unauthorized());
  req.user = user;
  // After an admin's reset only the password change (and who am I, sign out) is open.
  if (user.mustChangePassword && !PASSWORD_CHANGE_PATHS.has(req.originalUrl.split('?')[0]!))
    return next(
      new HttpProblem(
        403,
        '请先修改密码',
        'the password was reset by an administrator: change it first (POST /api/auth/password)',
      ),
    );
  next();
};

const PASSWORD_CHANGE_PATHS = new Set(['/api/me', '/api/auth/password', '/api/auth/logout']);

export function currentUser(req: Request): SessionUser {
  if (!req.user) throw problems.unauthorized();
  return req.user;
}

export function requireRole(req: Request, ...roles: string[]): SessionUser {
  const u = currentUser(req);
  if (!roles.includes(u.role))
    throw problems.forbidden(`role "${u.role}" may not perform this action; allowed: ${roles.join(', ')}`);
  return u;
}

/** The unit the caller acts for, else 403 saying `why` (routes for a unit's people only). */
export function requireUnitUser(user: SessionUser, why: string): string {
  const unitId = ownUnit(user);
  if (!unitId) throw problems.forbidden(why);
  return unitId;
}
