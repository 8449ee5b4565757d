/**
 * The web app's process (网页服务): SvelteKit's request handler (`web/build/handler.js`, adapter-node)
 * served on JIANYI_WEB_PORT, with an operations port like every other process (JIANYI_WEB_OPS_PORT:
 * `/healthz`, `/readyz`, `/metrics`; never on the public port) and the same graceful shutdown. Run as
 * `node dist/web.js` (built by infra/build.ts) after `pnpm --filter @jianyi/web build`.
 *
 * Ready: the handler is loaded and listening, not draining, and the API behind JIANYI_API_URL answers
 * its /healthz (without it every page's data fails). adapter-node's own variables (ORIGIN,
 * BODY_SIZE_LIMIT, PROTOCOL_HEADER, ADDRESS_HEADER, XFF_DEPTH) are read by the handler as before;
 * HOST and PORT are replaced by JIANYI_HTTP_HOST and JIANYI_WEB_PORT.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { config, requireSettings } from './config';
import { createLogger } from './logger';
import { closeHttpServer, Gauge, httpDuration, onShutdown, registry, startOps } from './ops';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

const log = createLogger('web');

/** The series' route label: a few groups, never the raw path (ids would make a series each). */
function routeGroup(url: string): string {
  if (url.startsWith('/api/')) return '/api/*';
  if (url === '/events' || url.startsWith('/events?') || url.startsWith('/events/')) return '/events';
  if (url.startsWith('/_app/')) return '/_app/*';
  return 'page';
}

async function main() {
  requireSettings('web', { database: false });
  const file = path.resolve(__dirname, '../../../web/build/handler.js');
  // The handler is an ES module; this file runs as CommonJS once built.
  const { handler } = (await import(pathToFileURL(file).href)) as { handler: Handler };
  // Live streams (SSE through the proxy) end at once on shutdown; browsers reconnect elsewhere and resume.
  const streams = new Set<Socket>();
  const sseClients = new Gauge({
    name: 'jianyi_web_sse_streams',
    help: 'Live event streams the web app is proxying',
    registers: [registry],
    collect() {
      this.set(streams.size);
    },
  });
  void sseClients;
  const server = http.createServer((req, res) => {
    const route = routeGroup(req.url ?? '/');
    const end = httpDuration.startTimer({ method: req.method ?? 'GET', route });
    res.on('finish', () => end({ status: String(res.statusCode) }));
    res.on('close', () => {
      if (!res.writableFinished) end({ status: String(res.statusCode) });
    });
    if (route === '/events') {
      const socket = req.socket;
      streams.add(socket);
      socket.once('close', () => streams.delete(socket));
    }
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });
  const ops = startOps('web', log, {
    http: () => {
      if (!server.listening) throw new Error('not listening yet');
    },
    api: async () => {
      const r = await fetch(new URL('/healthz', config.web.apiUrl), { signal: AbortSignal.timeout(2500) });
      if (!r.ok) throw new Error(`the API at ${config.web.apiUrl} answered ${r.status}`);
    },
  });
  server.listen(config.web.port, config.httpHost, () =>
    log.info({ host: config.httpHost, port: config.web.port }, 'web listening'),
  );
  onShutdown(ops, log, [
    [
      'end live streams',
      () => {
        for (const s of streams) s.destroy();
      },
    ],
    ['finish in-flight requests', () => closeHttpServer(server)],
  ]);
}
main().catch((err) => {
  log.error(err, 'web failed to start');
  process.exit(1);
});
