/**
 * Operations of every process (运维接口): liveness (`/healthz`), readiness (`/readyz`: the process's
 * own checks — database, Kafka, Temporal, worker — and not draining), Prometheus metrics (`/metrics`,
 * prom-client), and graceful shutdown on SIGTERM/SIGINT (run the process's steps in order, then exit 0).
 *
 * The operations port binds to JIANYI_OPS_HOST (default 127.0.0.1), never to the public web server;
 * the API and the tracker also answer /healthz and /readyz on their own HTTP port, for probes.
 */
import http from 'node:http';
import type { Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Consumer, Kafka } from 'kafkajs';
import { config } from './config';
import type { Logger } from './logger';

/** The process's metrics; every series carries `service`. */
export const registry = new Registry();
let defaultsCollected = false;

/** Request latency by route template (never the raw path: ids would make a series each) and status. */
export const httpDuration = new Histogram({
  name: 'jianyi_http_request_duration_seconds',
  help: 'HTTP request latency by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** A readiness check: resolves when ready, throws (or rejects) with the reason otherwise. */
export type ReadyCheck = () => unknown;

export interface Ops {
  /** Marks the process draining: /readyz answers 503 from now on (the load balancer stops sending). */
  drain(): void;
  readonly draining: boolean;
  /** Answers /healthz, /readyz and /metrics; false for any other path (express: `app.use(ops.middleware)`). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Mount on an express app: /healthz and /readyz (metrics stay on the operations port). */
  probes(req: http.IncomingMessage, res: http.ServerResponse, next: () => void): void;
  /** Closes the operations port (last step of a shutdown). */
  close(): Promise<void>;
  server: Server | null;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, rej) =>
      setTimeout(() => rej(new Error(`${what}: no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

/**
 * Starts the process's operations port (JIANYI_<SERVICE>_OPS_PORT on JIANYI_OPS_HOST; 0: none) with
 * its readiness checks.
 */
export function startOps(service: string, log: Logger, checks: Record<string, ReadyCheck>): Ops {
  registry.setDefaultLabels({ service });
  if (!defaultsCollected) {
    collectDefaultMetrics({ register: registry, prefix: 'jianyi_' });
    defaultsCollected = true;
  }
  let draining = false;
  const readiness = async () => {
    const results: Record<string, string> = {};
    let ok = !draining;
    if (draining) results.draining = 'shutting down';
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(Promise.resolve().then(check), 3000, name);
          results[name] = 'ok';
        } catch (err) {
          ok = false;
          results[name] = (err as Error)?.message ?? String(err);
        }
      }),
    );
    return { ok, results };
  };
  const send = (res: http.ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, withMetrics: boolean): boolean => {
    const url = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url === '/healthz') {
      send(res, 200, { ok: true, service });
      return true;
    }
    if (url === '/readyz') {
      void readiness().then((r) => send(res, r.ok ? 200 : 503, { ...r, service }));
      return true;
    }
    if (url === '/metrics' && withMetrics) {
      registry
        .metrics()
        .then((text) => send(res, 200, text, registry.contentType))
        .catch((err: unknown) => send(res, 500, { error: (err as Error).message }));
      return true;
    }
    return false;
  };
  const port = config.ops.ports[service] ?? 0;
  let server: Server | null = null;
  if (port > 0) {
    server = http.createServer((req, res) => {
      if (!handle(req, res, true)) send(res, 404, { error: 'not found' });
    });
    server.on('error', (err) => log.error({ err: err.message, port }, 'operations port failed'));
    server.listen(port, config.ops.host, () =>
      log.info({ host: config.ops.host, port }, 'operations port listening (/healthz /readyz /metrics)'),
    );
  }
  return {
    drain: () => void (draining = true),
    get draining() {
      return draining;
    },
    handle: (req, res) => handle(req, res, true),
    probes: (req, res, next) => {
      if (!handle(req, res, false)) next();
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    server,
  };
}

/**
 * Closes an HTTP server gracefully: no new connections, idle keep-alive connections closed, in-flight
 * requests finished (responses to them carry `Connection: close`), then resolves; after `graceMs` the
 * remaining connections are cut.
 */
export function closeHttpServer(server: Server, graceMs = config.ops.shutdownTimeoutMs): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    // A keep-alive connection whose request finished after close() becomes idle: close those as they come.
    const idle = setInterval(() => server.closeIdleConnections(), 250);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * On SIGTERM or SIGINT: marks the process draining, runs the steps in order (each logged; one that
 * fails does not stop the next), then exits 0 — or 1 when the whole shutdown overran
 * JIANYI_SHUTDOWN_TIMEOUT_MS (the orchestrator would kill it anyway).
 */
export function onShutdown(
  ops: Ops | null,
  log: Logger,
  steps: [string, () => Promise<unknown> | unknown][],
): void {
  let started = false;
  const run = async (signal: string) => {
    if (started) return;
    started = true;
    log.info({ signal }, 'shutting down');
    ops?.drain();
    const overrun = setTimeout(() => {
      log.error({ timeoutMs: config.ops.shutdownTimeoutMs }, 'shutdown overran its time; exiting');
      process.exit(1);
    }, config.ops.shutdownTimeoutMs + 5000);
    overrun.unref();
    for (const [name, step] of steps) {
      try {
        await step();
        log.info({ step: name }, 'shutdown step done');
      } catch (err) {
        log.warn({ step: name, err: (err as Error)?.message }, 'shutdown step failed');
      }
    }
    await ops?.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void run('SIGTERM'));
  process.on('SIGINT', () => void run('SIGINT'));
}

/** Tracks whether a kafkajs consumer is in its group (for /readyz). */
export function consumerState(consumer: Consumer) {
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  consumer.on(consumer.events.CRASH, () => (joined = false));
  consumer.on(consumer.events.DISCONNECT, () => (joined = false));
  consumer.on(consumer.events.STOP, () => (joined = false));
  return () => {
    if (!joined) throw new Error('consumer not in its group');
  };
}

/**
 * Consumer lag (消费积压) of the given groups on the topic, per group: the sum over partitions of the
 * topic's end offset minus the group's committed offset. Read at each scrape.
 */
export function consumerLagGauge(kafka: Kafka, topic: string, groups: string[]): () => Promise<void> {
  const admin = kafka.admin();
  let connected: Promise<void> | null = null;
  new Gauge({
    name: 'jianyi_kafka_consumer_lag',
    help: 'Messages on the topic not yet committed by the consumer group',
    labelNames: ['group', 'topic'] as const,
    registers: [registry],
    async collect() {
      connected ??= admin.connect();
      await connected;
      const ends = await admin.fetchTopicOffsets(topic);
      for (const groupId of groups) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        let lag = 0;
        for (const p of ends) {
          const c = committed?.partitions.find((x) => x.partition === p.partition);
          const at = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(p.low);
          lag += Math.max(0, Number(p.high) - at);
        }
        this.set({ group: groupId, topic }, lag);
      }
    },
  });
  return async () => {
    if (connected) await admin.disconnect();
  };
}

export { Counter, Gauge, Histogram };
