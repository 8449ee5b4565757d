/**
 * What Express has registered, read from its router stack: used to answer 405 (with Allow) for a
 * method a known path does not declare, and by the test that holds the OpenAPI document to the routes.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { HttpProblem } from './problem';

export interface RegisteredRoute {
  method: string;
  /** Express-style full path: '/api/suggestions/:id'. */
  path: string;
}

interface StackLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

const join = (a: string, b: string) => (a + (b === '/' ? '' : b)).replace(/\/+/g, '/') || '/';

/** Every method + path pair the app answers (routes inside mounted routers included). */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  const walk = (stack: StackLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') out.push({ method, path: join(prefix, layer.route.path) });
      } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
        walk(layer.handle.stack, join(prefix, layer.rawPath));
      }
    }
  };
  walk((app as unknown as { router: { stack: StackLayer[] } }).router.stack, '');
  return out;
}

const pattern = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);

/**
 * 405 for a method the path does not declare (HEAD counts as GET); anything else passes on. The
 * table is read on the first request, when every route is registered.
 */
export function methodNotAllowed(app: Express) {
  let table: { re: RegExp; methods: Set<string> }[] | undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!table) {
      const byPath = new Map<string, Set<string>>();
      for (const r of registeredRoutes(app))
        byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method.toUpperCase()));
      table = [...byPath].map(([path, methods]) => ({ re: pattern(path), methods }));
    }
    const allowed = new Set<string>();
    for (const t of table) if (t.re.test(req.path)) t.methods.forEach((m) => allowed.add(m));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (!allowed.size || allowed.has(req.method)) return next();
    res.set('Allow', [...allowed].sort().join(', '));
    next(
      new HttpProblem(
        405,
        '不支持该请求方法',
        `${req.method} is not allowed on ${req.path}; allowed: ${[...allowed].sort().join(', ')}`,
      ),
    );
  };
}
