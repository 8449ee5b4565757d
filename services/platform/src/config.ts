/** Runtime settings from the environment; defaults match infra/env.sh (dev stack). */
function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got "${v}"`);
  return n;
}

/**
 * dev and test are the project's own stacks on loopback; anything else (unset included) is a
 * deployment, where cookies are Secure with the __Host- prefix and HSTS is sent.
 */
const env = process.env.JIANYI_ENV || 'production';
const localStack = env === 'dev' || env === 'test';
const secureCookies = (process.env.JIANYI_SECURE_COOKIES || String(!localStack)) === 'true';

export const config = {
  env,
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
  tracker: {
    port: int('JIANYI_TRACKER_PORT', 3101),
    /** Seconds between a stream's session re-checks (logout, expiry, deactivation end it). */
    sessionRecheckMs: int('JIANYI_SSE_RECHECK_SECONDS', 15) * 1000,
    maxStreamsPerUser: int('JIANYI_SSE_MAX_STREAMS_PER_USER', 6),
    maxCatchUp: int('JIANYI_SSE_MAX_CATCH_UP', 10_000),
  },
  web: {
    port: int('JIANYI_WEB_PORT', 3000),
    /** The web app's address as people reach it (links in mails and robots' messages). */
    publicUrl: process.env.JIANYI_PUBLIC_URL || `http://127.0.0.1:${int('JIANYI_WEB_PORT', 3000)}`,
  },
  sessionTtlHours: int('JIANYI_SESSION_TTL_HOURS', 12),
  /** Requests a minute to the public (no login) API per client address. */
  publicRatePerMinute: int('JIANYI_PUBLIC_RATE_PER_MINUTE', 120),
  /** Login throttling (登录限制): failures within the window lock the account / the address for a growing time. */
  loginThrottle: {
    accountFailures: int('JIANYI_LOGIN_MAX_FAILURES_PER_ACCOUNT', 5),
    addressFailures: int('JIANYI_LOGIN_MAX_FAILURES_PER_ADDRESS', 30),
    windowMinutes: int('JIANYI_LOGIN_WINDOW_MINUTES', 15),
    /** The first lock; each further failure doubles it, up to maxLockSeconds. */
    lockSeconds: int('JIANYI_LOGIN_LOCK_SECONDS', 60),
    maxLockSeconds: int('JIANYI_LOGIN_MAX_LOCK_SECONDS', 3600),
  },
  /** Secure, and named with the __Host- prefix (no Domain, path /, https only), outside dev and test. */
  secureCookies,
  cookieName: secureCookies ? '__Host-jianyi_sid' : 'jianyi_sid',
} as const;
