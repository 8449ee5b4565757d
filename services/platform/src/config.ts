/** Runtime settings from the environment; defaults match infra/env.sh (dev stack). */
function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got "${v}"`);
  return n;
}

export const config = {
  pg: {
    host: process.env.JIANYI_PG_HOST ?? '127.0.0.1',
    port: int('JIANYI_PG_PORT', 55432),
    database: process.env.JIANYI_PG_DATABASE ?? 'jianyi',
    user: process.env.JIANYI_PG_USER ?? 'postgres',
    password: process.env.JIANYI_PG_PASSWORD ?? '',
  },
  kafka: {
    brokers: (process.env.JIANYI_KAFKA_BROKERS ?? `127.0.0.1:${int('JIANYI_KAFKA_PORT', 59092)}`).split(','),
    topic: process.env.JIANYI_KAFKA_TOPIC ?? 'suggestion.events',
    partitions: int('JIANYI_KAFKA_PARTITIONS', 6),
  },
  temporal: {
    address: process.env.JIANYI_TEMPORAL_ADDRESS ?? `127.0.0.1:${int('JIANYI_TEMPORAL_PORT', 57233)}`,
    namespace: process.env.JIANYI_TEMPORAL_NAMESPACE ?? 'jianyi',
    taskQueue: process.env.JIANYI_TASK_QUEUE ?? 'suggestions',
  },
  api: { port: int('JIANYI_API_PORT', 3100) },
  tracker: { port: int('JIANYI_TRACKER_PORT', 3101) },
  web: {
    port: int('JIANYI_WEB_PORT', 3000),
    /** The web app's address as people reach it (links in mails and robots' messages). */
    publicUrl: process.env.JIANYI_PUBLIC_URL || `http://127.0.0.1:${int('JIANYI_WEB_PORT', 3000)}`,
  },
  sessionTtlHours: int('JIANYI_SESSION_TTL_HOURS', 12),
  cookieName: 'jianyi_sid',
} as const;
