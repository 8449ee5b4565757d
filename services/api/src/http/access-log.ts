import type { NextFunction, Request, Response } from 'express';
import { httpDuration, type Logger } from '@jianyi/platform';

/** The route template a request matched (`/api/suggestions/:id`), never the raw path; `unmatched` otherwise. */
export function routeTemplate(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (!route || typeof route.path !== 'string') return 'unmatched';
  return `${req.baseUrl}${route.path === '/' && req.baseUrl ? '' : route.path}`;
}

/**
 * One structured line per request (pino) with its request id (`X-Request-Id`, given or generated, echoed
 * back by `requestId`) and the suggestion id where one is in play (a `/api/suggestions/:id…` route), and
 * the latency histogram by route template and status. Bodies, cookies and query strings are never logged
 * (the path only: ids, no passwords or phone numbers travel in a path).
 */
export function accessLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    // Captured when the handler answers, while the router still holds the matched route and its params.
    let route = 'unmatched';
    let suggestionId: string | undefined;
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      route = routeTemplate(req);
      const id = (req.params as Record<string, string> | undefined)?.id;
      if (id && /\/suggestions\/:id\b/.test(route)) suggestionId = id;
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      const line = {
        requestId: req.requestId,
        ...(suggestionId ? { suggestionId } : {}),
        method: req.method,
        route,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      };
      if (res.statusCode >= 500) log.warn(line, 'request');
      else log.info(line, 'request');
    });
    next();
  };
}
