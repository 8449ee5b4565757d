/**
 * Input hardening shared by every route: the request id, and text that PostgreSQL cannot store.
 * Both run once, before any route, so no route can forget them.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { problems, type FieldError } from './problem';

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
