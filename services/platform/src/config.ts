/**
 * Runtime settings from the environment, the only place that reads `process.env`; defaults match
 * infra/env.sh (dev stack).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

function int(name: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be ${min === 0 ? 'a non-negative' : 'an'} integer, got "${v}"`);
  return n;
}
const str = (name: string, fallback: string) => process.env[name] ?? fallback;
const digestAt = process.env.JIANYI_DIGEST_AT ?? '';

/** The notifier's settings (infra/env.sh sets the SMTP port per stack). */
export interface NotifierSettings {
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    user: string | null;
    pass: string | null;
    from: string;
  };
  /** First retry after this many ms, doubling each attempt. */
  retryBaseMs: number;
  /** After this many failed attempts a delivery is marked failed. */
  maxAttempts: number;
  /** How often the dispatcher looks for due deliveries. */
  pollMs: number;
  /** When the daily digest runs on working days, China time 'HH:MM'. */
  digestAt: string;
  /** The digest lists items due within this many working days (and overdue ones). */
  digestWithinWorkingDays: number;
  webhookTimeoutMs: number;
}

/**
 * dev and test are the project's own stacks on loopback; anything else (unset included) is a
 * deployment, where cookies are Secure with the __Host- prefix and HSTS is sent.
 */
const env = process.env.JIANYI_ENV || 'production';
const localStack = env === 'dev' || env === 'test';

/** A PostgreSQL connection's settings (the shape `pg` and TypeORM take). */
export interface PgSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/**
 * The local stacks' role passwords, generated with the cluster by infra/stack.sh into
 * `<data folder>/postgres.credentials` (lines `role password`, readable by root only).
 */
const dataDir = process.env.JIANYI_DATA || path.join(process.env.JIANYI_ROOT || process.cwd(), '.data', env);
function localPassword(role: string): string {
  try {
    const line = readFileSync(path.join(dataDir, 'postgres.credentials'), 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[0] === role);
    return line?.split(' ')[1]?.trim() ?? '';
  } catch {
    return ''; // no local stack yet: the connection is refused, naming the role
  }
}

/**
 * A connection from `postgres://user:password@host:port/database` in `urlVar`; on the local stacks,
 * without it, the stack's cluster (JIANYI_PG_HOST/PORT/DATABASE) as `localRole` with its generated password.
 */
function pgSettings(urlVar: string, localRole: string): PgSettings {
  const url = process.env[urlVar];
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`${urlVar} must be a URL like postgres://user:password@host:5432/database`);
    }
    return {
      host: decodeURIComponent(u.hostname) || '127.0.0.1',
      port: u.port ? Number(u.port) : 5432,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'jianyi',
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    };
  }
  return {
    host: process.env.JIANYI_PG_HOST ?? '127.0.0.1',
    port: int('JIANYI_PG_PORT', 55432),
    database: process.env.JIANYI_PG_DATABASE ?? 'jianyi',
    user: localRole,
    password: localStack ? localPassword(localRole) : '',
  };
}
const secureCookies = (process.env.JIANYI_SECURE_COOKIES || String(!localStack)) === 'true';

export const config = {
  env,
  /** The local stack's data folder (infra/env.sh JIANYI_DATA): its database passwords, logs. */
  dataDir,
  /** The services' connection: the application role (rows only; `audit_log` insert-only). */
  pg: pgSettings('JIANYI_DATABASE_URL', 'jianyi_app'),
  /** Migrations and test resets: the role that owns the schema. */
  pgOwner: pgSettings('JIANYI_MIGRATION_DATABASE_URL', 'jianyi_owner'),
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
  /**
   * The Temporal worker (workflows/src/worker.ts); the chosen values are explained in the README,
   * "Benchmarks" (worker tuning).
   */
  worker: {
    /** The workflow code bundled at build time (dist/workflow-bundle.js); unset: bundle at start (tsx, tests). */
    workflowBundle: process.env.JIANYI_WORKFLOW_BUNDLE || null,
    /** Workflow executions kept in memory (sticky cache); an evicted one is replayed from its history when it next wakes. */
    maxCachedWorkflows: int('JIANYI_WORKER_MAX_CACHED_WORKFLOWS', 2000, 0),
    /** Workflow tasks run at once (each is short CPU work in the one reused V8 context). */
    maxConcurrentWorkflowTaskExecutions: int('JIANYI_WORKER_MAX_WORKFLOW_TASKS', 40, 2),
    /** Activities run at once: each is one PostgreSQL transaction, so about the connection pool's size. */
    maxConcurrentActivityTaskExecutions: int('JIANYI_WORKER_MAX_ACTIVITIES', 30, 1),
    /** One V8 context shared by every workflow (the SDK's default since 1.9; kept explicit). */
    reuseV8Context: (process.env.JIANYI_WORKER_REUSE_V8_CONTEXT ?? 'true') === 'true',
    /** PostgreSQL connections of the worker's pool. */
    pgPoolSize: int('JIANYI_WORKER_PG_POOL', 30, 1),
  },
  api: {
    port: int('JIANYI_API_PORT', 3100),
    /** How often the statistics projection is compacted. */
    statsCompactMs: int('JIANYI_STATS_COMPACT_MS', 2000, 0),
    /** 交办会: workflow updates in flight at once for one bulk call (README, "Benchmarks"). */
    bulkAssignConcurrency: int('JIANYI_BULK_ASSIGN_CONCURRENCY', 32, 1),
  },
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
    /** Whether JIANYI_PUBLIC_URL is set; if not, QR codes and tracking links use the host the request came to. */
    publicUrlSet: !!process.env.JIANYI_PUBLIC_URL,
  },
  /** 一码通 (constituent intake): abuse limits of the public form and the key sender addresses are hashed with. */
  intake: {
    perAddressPerHour: int('JIANYI_INTAKE_PER_ADDRESS_HOUR', 5, 1),
    perPhonePerDay: int('JIANYI_INTAKE_PER_PHONE_DAY', 3, 1),
    /** A message's request body may not be larger than this (bytes). */
    maxBodyBytes: int('JIANYI_INTAKE_MAX_BODY_BYTES', 16 * 1024, 1024),
    /** HMAC key for sender addresses (kept only as a keyed hash, enough to count, not to recover). */
    hashKey: str('JIANYI_INTAKE_HASH_KEY', 'jianyi-intake'),
  },
  notifier: {
    smtp: {
      host: process.env.JIANYI_SMTP_HOST || '127.0.0.1',
      port: int('JIANYI_SMTP_PORT', 2525, 0),
      secure: process.env.JIANYI_SMTP_SECURE === 'true',
      user: process.env.JIANYI_SMTP_USER || null,
      pass: process.env.JIANYI_SMTP_PASS || null,
      from: process.env.JIANYI_SMTP_FROM || '代表建议办理平台 <noreply@jianyi.local>',
    },
    retryBaseMs: int('JIANYI_NOTIFY_RETRY_BASE_MS', 30_000, 0),
    maxAttempts: int('JIANYI_NOTIFY_MAX_ATTEMPTS', 6, 0),
    pollMs: int('JIANYI_NOTIFY_POLL_MS', 2_000, 0),
    digestAt: /^([01]\d|2[0-3]):[0-5]\d$/.test(digestAt) ? digestAt : '09:00',
    digestWithinWorkingDays: int('JIANYI_DIGEST_WITHIN_WORKING_DAYS', 3, 0),
    webhookTimeoutMs: int('JIANYI_WEBHOOK_TIMEOUT_MS', 10_000, 0),
  } satisfies NotifierSettings as NotifierSettings,
  /**
   * The jurisdiction policy every new item enters with, overriding the admin's choice (tests pin
   * one); unset: the policy in force.
   */
  policyVersion: process.env.JIANYI_POLICY_VERSION as string | undefined,
  /** The process's name in PostgreSQL (pg_stat_activity), set per service by infra/services.sh. */
  appName: str('JIANYI_APP_NAME', 'jianyi'),
  logLevel: str('JIANYI_LOG_LEVEL', 'info'),
  /** The demo accounts' password (seed). */
  demoPassword: str('JIANYI_DEMO_PASSWORD', 'Demo@2026'),
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
  /**
   * The fonts the printed documents (答复函, 代表建议, 案卷 PDFs) embed, subset: a CJK serif for the text
   * and its bold for headings; `*Face` names the face inside a font collection (.ttc). Debian's
   * fonts-noto-cjk by default (infra/install.sh installs it).
   */
  pdf: {
    font: str('JIANYI_PDF_FONT', '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'),
    fontFace: str('JIANYI_PDF_FONT_FACE', 'NotoSerifCJKsc-Regular'),
    boldFont: str('JIANYI_PDF_BOLD_FONT', '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc'),
    boldFontFace: str('JIANYI_PDF_BOLD_FONT_FACE', 'NotoSerifCJKsc-Bold'),
  },
  /**
   * 附件 (attachments): where the files are kept and how large they may be. `store` is `local` (files
   * under `dir`, the embedded default) or `s3` (an S3-compatible object store: endpoint, bucket,
   * keys; path-style addressing). Limits: one file, all files of one record (a suggestion, contact,
   * reply or message) by count and by bytes.
   */
  attachments: {
    store: (process.env.JIANYI_STORAGE === 's3' ? 's3' : 'local') as 'local' | 's3',
    dir: process.env.JIANYI_STORAGE_DIR || path.join(dataDir, 'attachments'),
    s3: {
      endpoint: process.env.JIANYI_S3_ENDPOINT || '',
      region: str('JIANYI_S3_REGION', 'us-east-1'),
      bucket: str('JIANYI_S3_BUCKET', 'jianyi-attachments'),
      accessKeyId: process.env.JIANYI_S3_ACCESS_KEY || '',
      secretAccessKey: process.env.JIANYI_S3_SECRET_KEY || '',
    },
    maxFileBytes: int('JIANYI_ATTACHMENT_MAX_FILE_BYTES', 20 * 1024 * 1024, 1024),
    maxFilesPerRecord: int('JIANYI_ATTACHMENT_MAX_FILES_PER_RECORD', 20, 1),
    maxBytesPerRecord: int('JIANYI_ATTACHMENT_MAX_BYTES_PER_RECORD', 100 * 1024 * 1024, 1024),
    /** A constituent's message (一码通): photos only, fewer and smaller. */
    maxMessageFiles: int('JIANYI_ATTACHMENT_MAX_MESSAGE_FILES', 6, 1),
    maxMessageFileBytes: int('JIANYI_ATTACHMENT_MAX_MESSAGE_FILE_BYTES', 10 * 1024 * 1024, 1024),
  },
  /** The key robot secrets are encrypted under (32 bytes, base64; security/secrets.ts). */
  secretKey: process.env.JIANYI_SECRET_KEY || undefined,
  /** The robot hosts a unit webhook may post to, comma-separated (security/webhook-url.ts). */
  webhookHosts: process.env.JIANYI_WEBHOOK_HOSTS as string | undefined,
  /** Secure, and named with the __Host- prefix (no Domain, path /, https only), outside dev and test. */
  secureCookies,
  cookieName: secureCookies ? '__Host-jianyi_sid' : 'jianyi_sid',
} as const;

/**
 * What a deployment must set before a service starts (outside the dev and test stacks), by variable
 * name: the database URL(s), and the secret key for the services that store or read robot secrets.
 */
export function missingSettings(needs: { secretKey?: boolean; migration?: boolean } = {}): string[] {
  if (localStack) return [];
  const missing: string[] = [];
  if (!process.env.JIANYI_DATABASE_URL && !needs.migration) missing.push('JIANYI_DATABASE_URL');
  if (!process.env.JIANYI_MIGRATION_DATABASE_URL && needs.migration)
    missing.push('JIANYI_MIGRATION_DATABASE_URL');
  if (needs.secretKey) {
    const key = process.env.JIANYI_SECRET_KEY;
    if (!key) missing.push('JIANYI_SECRET_KEY');
    else if (Buffer.from(key, 'base64').length !== 32) missing.push('JIANYI_SECRET_KEY (32 bytes in base64)');
  }
  return missing;
}

/** Stops the process at start, naming each missing setting (a deployment's configuration error). */
export function requireSettings(service: string, needs: Parameters<typeof missingSettings>[0] = {}): void {
  const missing = missingSettings(needs);
  if (!missing.length) return;
  console.error(
    `${service}: refusing to start with JIANYI_ENV=${env}: set ${missing.join(', ')} ` +
      `(see README, Security: what a deployer must set) / 缺少必需的配置: ${missing.join(', ')}`,
  );
  process.exit(2);
}
