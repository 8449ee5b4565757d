/**
 * Input hardening shared by every route: the request id, and text that PostgreSQL cannot store.
 * Both run once, before any route, so no route can forget them.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { DataSource } from 'typeorm';
import { audit, config } from '@jianyi/platform';
import { HttpProblem, problems, type FieldError } from './problem';

/** A caller's X-Request-Id is kept when it is short and plain (it goes to logs and the audit column). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('X-Request-Id');
  req.requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  res.set('X-Request-Id', req.requestId);
  next();
}

/**
 * The NUL character (U+0000) cannot be stored in a PostgreSQL text column; any string in the body or
 * the query that holds one is refused with 422 naming its field (`a.b.0` for nested values).
 */
export function rejectNul(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (errors.length >= 20 || depth > 32) return;
    if (typeof v === 'string') {
      if (v.includes('\u0000'))
        errors.push({
          field: path || '(body)',
          message: `${path || '请求体'}:不能包含空字符(\\u0000)`,
          messageEn: 'must not contain the NUL character (\\u0000)',
        });
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i), depth + 1));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000'))
          errors.push({
            field: path || '(body)',
            message: `${path || '请求体'}:字段名不能包含空字符`,
            messageEn: 'a field name contains the NUL character',
          });
        walk(x, path ? `${path}.${k}` : k, depth + 1);
      }
  };
  walk(req.body, '', 0);
  walk(req.query, '', 0);
  next(errors.length ? problems.invalid(errors) : undefined);
}

/**
 * Security headers for a JSON API (helmet): nothing may frame, run or sniff what it answers; HSTS
 * outside the local dev and test stacks (where the deployment serves https).
 */
export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF (ASVS V4.2.2 / V50): a state-changing request must come from the platform's own pages. The
 * session cookie is SameSite=Lax, which still lets a *same-site* page (another app on a sibling host)
 * send body-less POSTs with it; so a browser request is refused unless Fetch Metadata says
 * `same-origin` (or `none`: typed by the user), and, from a browser without Fetch Metadata, unless
 * its Origin is ours. Clients that are not browsers send neither header and carry no ambient cookie.
 */
export function sameOrigin(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.get('Sec-Fetch-Site');
  if (site !== undefined)
    return next(site === 'same-origin' || site === 'none' ? undefined : crossSite(site));
  const origin = req.get('Origin');
  if (origin === undefined) return next();
  // Behind the web app's proxy (trusted from loopback) the host the browser used is X-Forwarded-Host.
  const host = req.get('X-Forwarded-Host') ?? req.get('Host');
  let ok = false;
  try {
    ok = new URL(origin).host === host;
  } catch {
    ok = false;
  }
  next(ok ? undefined : crossSite(`origin ${origin}`));
}

const crossSite = (from: string) =>
  new HttpProblem(
    403,
    '请求来源不被允许：请从本平台页面操作',
    `a state-changing request must come from the platform's own pages (${from.slice(0, 100)})`,
  );

/**
 * The public pages need no login, so their API is rate limited per client address (the web proxy's
 * X-Forwarded-For, trusted from loopback): a keyword search is the costliest unauthenticated request.
 * Counted per API instance (in memory); a deployment with many instances divides the budget.
 */
export const publicRateLimit = rateLimit({
  windowMs: 60_000,
  limit: config.publicRatePerMinute,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  handler: (_req, res, next) => {
    res.set('Retry-After', '60');
    next(
      new HttpProblem(
        429,
        '访问过于频繁，请稍后再试',
        `at most ${config.publicRatePerMinute} requests a minute to the public API from one address`,
      ),
    );
  },
});

const UUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * A refused access to a record (403 or 404 on a path that names one, for a signed-in user) is an
 * audit row `access.refused` (ASVS V7.2): who, which record, which request, from where. Probing other
 * people's items then shows in the audit log. Runs as the error handler before the one that answers.
 */
export const auditRefusals =
  (ds: DataSource) =>
  (err: unknown, req: Request, _res: Response, next: NextFunction): void => {
    const status = err instanceof HttpProblem ? err.status : 0;
    const path = req.originalUrl.split('?')[0] ?? '';
    const id = UUID_IN_PATH.exec(path)?.[0];
    if ((status !== 403 && status !== 404) || !req.user || !id) return next(err);
    void audit(ds.manager, {
      actorUserId: req.user.id,
      actorRole: req.user.role,
      action: 'access.refused',
      entityType: 'request',
      entityId: id.toLowerCase(),
      after: {
        method: req.method,
        path: path.slice(0, 200),
        status,
        address: req.ip ?? null,
        userAgent: req.get('user-agent')?.slice(0, 200) ?? null,
      },
      requestId: req.requestId ?? null,
    })
      .catch(() => undefined)
      .finally(() => next(err));
  };
