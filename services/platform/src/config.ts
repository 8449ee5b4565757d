/**
 * Runtime settings from the environment, the only place that reads `process.env`; defaults match
 * infra/env.sh (dev stack). Every variable is declared here once, with its zod schema, its default and
 * its description: docs/configuration.md is generated from these declarations (`pnpm config:doc`) and a
 * unit test fails when the two disagree. A wrong value does not throw at import: it is collected in
 * `configErrors`, and `requireSettings()` stops the service naming the variable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** One documented variable (docs/configuration.md). */
export interface SettingDoc {
  name: string;
  group: string;
  default: string;
  doc: string;
}
export const settingDocs: SettingDoc[] = [];
/** Variables whose value is wrong ("NAME: why (got …)"); requireSettings() stops the service on them. */
export const configErrors: string[] = [];

let group = 'General';
const section = (name: string) => (group = name);

/**
 * Reads and validates one variable: unset or empty takes the default; a value the schema refuses is
 * recorded in configErrors and the default is used so the module still loads (the service then stops).
 */
function setting<T>(
  name: string,
  schema: z.ZodType<T>,
  def: string | undefined,
  doc: string,
  docDefault?: string,
): T | undefined {
  settingDocs.push({
    name,
    group,
    default: docDefault ?? (def === undefined ? '(unset)' : def === '' ? '""' : def),
    doc,
  });
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? def : raw;
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  configErrors.push(`${name}: ${r.error.issues.map((i) => i.message).join('; ')} (got "${value}")`);
  if (def === undefined || value === def) return undefined;
  const d = schema.safeParse(def);
  return d.success ? d.data : undefined;
}
const intS = (min = Number.MIN_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`);
const boolS = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const strS = z.string();
const hostPortS = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port');
const int = (name: string, fallback: number, doc: string, min?: number) =>
  setting(name, intS(min), String(fallback), doc) ?? fallback;
/** A number in [min, max] (fractions allowed). */
const num = (name: string, fallback: number, doc: string, min: number, max: number) =>
  setting(
    name,
    z.coerce
      .number({ error: 'must be a number' })
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
    String(fallback),
    doc,
  ) ?? fallback;
const bool = (name: string, fallback: boolean, doc: string) =>
  setting(name, boolS, String(fallback), doc) ?? fallback;
const str = (name: string, fallback: string, doc: string) => setting(name, strS, fallback, doc) ?? fallback;
const optional = (name: string, doc: string, schema: z.ZodType<string> = strS) =>
  setting(name, schema, undefined, doc);
/** A file's content named by a path variable (certificates, keys); an unreadable file is a configuration error. */
function fileOf(name: string, doc: string): Buffer | undefined {
  const p = optional(name, doc);
  if (!p) return undefined;
  try {
    return readFileSync(p);
  } catch (err) {
    configErrors.push(`${name}: cannot read ${p} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

section('General');
/**
 * dev and test are the project's own stacks on loopback; anything else (unset included) is a
 * deployment, where cookies are Secure with the __Host- prefix and HSTS is sent.
 */
const env = str(
  'JIANYI_ENV',
  'production',
  "`dev` or `test`: the project's own stacks on loopback (local passwords, relaxed checks); anything else is a deployment.",
);
const localStack = env === 'dev' || env === 'test';
// Declared before JIANYI_DATA is read, so the reference lists it whether or not JIANYI_DATA is set.
const rootDir = optional(
  'JIANYI_ROOT',
  "The checkout's folder (set by ./dev); used to find the local data folder.",
);
/** The local stack's data folder (infra/env.sh JIANYI_DATA): its database passwords, logs. */
const dataDir =
  str(
    'JIANYI_DATA',
    '',
    "The local stack's data folder (dev/test only: the generated database passwords). Default `<JIANYI_ROOT or cwd>/.data/<JIANYI_ENV>`.",
  ) || path.join(rootDir || process.cwd(), '.data', env);

/** The notifier's settings (infra/env.sh sets the SMTP port per stack). */
export interface NotifierSettings {
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    /** STARTTLS required on a plain connection (port 587). */
    requireTls?: boolean;
    /** Whether the server's certificate must verify (false only for a test relay). */
    rejectUnauthorized?: boolean;
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

/** A PostgreSQL connection's settings (the shape `pg` and TypeORM take). */
export interface PgSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** TLS towards the server (`pg`'s ssl option); false: plain TCP (loopback stacks). */
  ssl: false | { rejectUnauthorized: boolean; ca?: string };
}

/**
 * The local stacks' role passwords, generated with the cluster by infra/stack.sh into
 * `<data folder>/postgres.credentials` (lines `role password`, readable by root only).
 */
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

section('PostgreSQL');
const pgUrlS = z.string().refine((v) => {
  try {
    return /^postgres(ql)?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be a URL like postgres://user:password@host:5432/database');
const appUrl = optional(
  'JIANYI_DATABASE_URL',
  "The services' connection, as the application role (rows only): `postgres://user:password@host:5432/database`. Required outside dev/test.",
  pgUrlS,
);
const ownerUrl = optional(
  'JIANYI_MIGRATION_DATABASE_URL',
  "The migrations' connection, as the role that owns the schema (migration job only). Required for migrations outside dev/test.",
  pgUrlS,
);
const pgHost = str('JIANYI_PG_HOST', '127.0.0.1', "Local stacks without a URL: the cluster's host.");
const pgPort = int(
  'JIANYI_PG_PORT',
  55432,
  "Local stacks without a URL: the cluster's port (infra/env.sh).",
  1,
);
const pgDatabase = str('JIANYI_PG_DATABASE', 'jianyi', 'Local stacks without a URL: the database.');
const pgSslMode =
  setting(
    'JIANYI_PG_SSL',
    z.enum(['disable', 'require', 'verify-full'], { error: 'must be disable, require or verify-full' }),
    'disable',
    'TLS towards PostgreSQL: `disable`, `require` (encrypted, certificate not checked) or `verify-full` (certificate checked against JIANYI_PG_SSL_CA or the system roots).',
  ) ?? 'disable';
const pgCa = fileOf(
  'JIANYI_PG_SSL_CA',
  "Path of the CA certificate (PEM) the PostgreSQL server's certificate is checked against (verify-full).",
);
const pgSsl: PgSettings['ssl'] =
  pgSslMode === 'disable'
    ? false
    : { rejectUnauthorized: pgSslMode === 'verify-full', ...(pgCa ? { ca: pgCa.toString() } : {}) };

/**
 * A connection from `postgres://user:password@host:port/database` in `url`; on the local stacks,
 * without it, the stack's cluster (JIANYI_PG_HOST/PORT/DATABASE) as `localRole` with its generated password.
 */
function pgSettings(url: string | undefined, localRole: string): PgSettings {
  if (url) {
    const u = new URL(url);
    return {
      host: decodeURIComponent(u.hostname) || '127.0.0.1',
      port: u.port ? Number(u.port) : 5432,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'jianyi',
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      ssl: pgSsl,
    };
  }
  return {
    host: pgHost,
    port: pgPort,
    database: pgDatabase,
    user: localRole,
    password: localStack ? localPassword(localRole) : '',
    ssl: pgSsl,
  };
}
const pgPool = {
  api: int('JIANYI_API_PG_POOL', 20, "PostgreSQL connections of one API process's pool.", 1),
  tracker: int('JIANYI_TRACKER_PG_POOL', 10, "PostgreSQL connections of one tracker process's pool.", 1),
  notifier: int('JIANYI_NOTIFIER_PG_POOL', 6, "PostgreSQL connections of one notifier process's pool.", 1),
  worker: int(
    'JIANYI_WORKER_PG_POOL',
    30,
    "PostgreSQL connections of one worker process's pool (about JIANYI_WORKER_MAX_ACTIVITIES).",
    1,
  ),
};

section('Kafka');
const kafkaPort = int(
  'JIANYI_KAFKA_PORT',
  59092,
  "Local stacks: the broker's port, when JIANYI_KAFKA_BROKERS is unset.",
  1,
);
const brokers = (
  setting(
    'JIANYI_KAFKA_BROKERS',
    z.string().regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be a comma-separated list of host:port'),
    `127.0.0.1:${kafkaPort}`,
    'The bootstrap brokers, comma-separated `host:port` (at least two in production).',
    '127.0.0.1:$JIANYI_KAFKA_PORT',
  ) ?? `127.0.0.1:${kafkaPort}`
).split(',');
const kafkaSaslMechanism = setting(
  'JIANYI_KAFKA_SASL_MECHANISM',
  z.enum(['scram-sha-256', 'scram-sha-512', 'plain'], {
    error: 'must be scram-sha-256, scram-sha-512 or plain',
  }),
  undefined,
  'SASL authentication towards the brokers: `scram-sha-256`, `scram-sha-512` (recommended) or `plain`; unset: none.',
);
const kafkaSaslUser = optional(
  'JIANYI_KAFKA_SASL_USERNAME',
  'SASL user name (with JIANYI_KAFKA_SASL_MECHANISM).',
);
const kafkaSaslPassword = optional(
  'JIANYI_KAFKA_SASL_PASSWORD',
  'SASL password (with JIANYI_KAFKA_SASL_MECHANISM); from a secret.',
);
if (kafkaSaslMechanism && (!kafkaSaslUser || !kafkaSaslPassword))
  configErrors.push(
    'JIANYI_KAFKA_SASL_USERNAME, JIANYI_KAFKA_SASL_PASSWORD: required with JIANYI_KAFKA_SASL_MECHANISM',
  );
const kafkaTls = bool('JIANYI_KAFKA_TLS', false, 'TLS towards the brokers.');
const kafkaCa = fileOf(
  'JIANYI_KAFKA_TLS_CA',
  "Path of the CA certificate (PEM) the brokers' certificates are checked against; unset: the system roots.",
);

section('Temporal');
const temporalPort = int(
  'JIANYI_TEMPORAL_PORT',
  57233,
  "Local stacks: the frontend's port, when JIANYI_TEMPORAL_ADDRESS is unset.",
  1,
);
const temporalAddress =
  setting(
    'JIANYI_TEMPORAL_ADDRESS',
    hostPortS,
    `127.0.0.1:${temporalPort}`,
    'The Temporal frontend, `host:port` (Temporal Cloud: `<namespace>.<account>.tmprl.cloud:7233`).',
    '127.0.0.1:$JIANYI_TEMPORAL_PORT',
  ) ?? `127.0.0.1:${temporalPort}`;
const temporalCert = fileOf(
  'JIANYI_TEMPORAL_TLS_CERT',
  'Path of the client certificate (PEM) for mTLS towards Temporal (with JIANYI_TEMPORAL_TLS_KEY).',
);
const temporalKey = fileOf(
  'JIANYI_TEMPORAL_TLS_KEY',
  "Path of the client certificate's private key (PEM) for mTLS towards Temporal.",
);
const temporalCa = fileOf(
  'JIANYI_TEMPORAL_TLS_CA',
  "Path of the CA certificate (PEM) the Temporal server's certificate is checked against; unset: the system roots.",
);
const temporalServerName = optional(
  'JIANYI_TEMPORAL_TLS_SERVER_NAME',
  "The name the Temporal server's certificate is checked for, when it differs from the address's host.",
);
const temporalApiKey = optional(
  'JIANYI_TEMPORAL_API_KEY',
  'An API key for Temporal Cloud (instead of mTLS); implies TLS.',
);
if (!!temporalCert !== !!temporalKey)
  configErrors.push('JIANYI_TEMPORAL_TLS_CERT, JIANYI_TEMPORAL_TLS_KEY: give both or neither');
const temporalTls =
  bool(
    'JIANYI_TEMPORAL_TLS',
    false,
    'TLS towards Temporal without a client certificate (implied by a certificate or an API key).',
  ) ||
  !!temporalCert ||
  !!temporalApiKey;

section('Processes and ports');
const httpHost = str(
  'JIANYI_HTTP_HOST',
  '127.0.0.1',
  'The address the API, the tracker and the web app listen on (`0.0.0.0` in a container, behind the web app or an ingress).',
);
const opsHost = str(
  'JIANYI_OPS_HOST',
  '127.0.0.1',
  "The address of every process's operations port (/healthz, /readyz, /metrics): the deployment's internal network only, never the public web server.",
);
const webPort = int('JIANYI_WEB_PORT', 3000, "The web app's port (local stacks; the default public URL).", 1);
const secureCookies =
  setting(
    'JIANYI_SECURE_COOKIES',
    boolS,
    String(!localStack),
    'Session cookies `Secure` with the `__Host-` prefix (needs HTTPS in front).',
    'true outside dev/test',
  ) ?? !localStack;
const trustProxy = str(
  'JIANYI_TRUST_PROXY',
  'loopback',
  "Express `trust proxy` of the API: which proxies' X-Forwarded-For is believed (`loopback`, a CIDR list such as `10.0.0.0/8`, or a hop count). The client address drives rate limits and audit rows.",
);
const publicUrl = setting(
  'JIANYI_PUBLIC_URL',
  z.url({ error: 'must be an absolute URL like https://jianyi.example.gov.cn' }),
  undefined,
  "The web app's address as people reach it (links in mails and robots' messages, QR codes). Unset: the request's host (local stacks).",
);
section('Notifier and SMTP');
const digestAtRaw =
  setting(
    'JIANYI_DIGEST_AT',
    z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
    '09:00',
    'When the daily digest runs on working days, China time `HH:MM`.',
  ) ?? '09:00';
section('General');
const logLevel =
  setting(
    'JIANYI_LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'info',
    'pino log level: fatal, error, warn, info, debug, trace or silent.',
  ) ?? 'info';

export const config = {
  env,
  /** The local stack's data folder (infra/env.sh JIANYI_DATA): its database passwords, logs. */
  dataDir,
  /** The services' connection: the application role (rows only; `audit_log` insert-only). */
  pg: pgSettings(appUrl, 'jianyi_app'),
  /** Migrations and test resets: the role that owns the schema. */
  pgOwner: pgSettings(ownerUrl, 'jianyi_owner'),
  pgPool,
  kafka:
    (section('Kafka'),
    {
      brokers,
      topic: str('JIANYI_KAFKA_TOPIC', 'suggestion.events', 'The events topic.'),
      partitions: int(
        'JIANYI_KAFKA_PARTITIONS',
        6,
        'Partitions of the events topic when `setup` creates it (more can be added later, never fewer).',
        1,
      ),
      /** Replicas of each partition: 3 on a production cluster, 1 on the one-broker local stacks. */
      replicationFactor: int(
        'JIANYI_KAFKA_REPLICATION_FACTOR',
        1,
        'Replicas of each partition of the topic `setup` creates (3 on a production cluster).',
        1,
      ),
      /** Replicas that must have a write before it is acknowledged (acks=all): 2 with replication 3. */
      minInsyncReplicas: int(
        'JIANYI_KAFKA_MIN_INSYNC_REPLICAS',
        1,
        "The topic's `min.insync.replicas` (2 with replication 3: a write survives one broker's loss).",
        1,
      ),
      clientIdPrefix: str(
        'JIANYI_KAFKA_CLIENT_ID_PREFIX',
        'jianyi',
        "Prefix of the Kafka client ids (`<prefix>-relay`, …), for the brokers' quotas and logs.",
      ),
      tls: kafkaTls ? { rejectUnauthorized: true, ...(kafkaCa ? { ca: [kafkaCa.toString()] } : {}) } : false,
      sasl:
        kafkaSaslMechanism && kafkaSaslUser && kafkaSaslPassword
          ? { mechanism: kafkaSaslMechanism, username: kafkaSaslUser, password: kafkaSaslPassword }
          : null,
    }),
  temporal:
    (section('Temporal'),
    {
      address: temporalAddress,
      namespace: str(
        'JIANYI_TEMPORAL_NAMESPACE',
        'jianyi',
        'The Temporal namespace (created by the operator; `setup` registers its search attributes).',
      ),
      retentionDays: int(
        'JIANYI_TEMPORAL_RETENTION_DAYS',
        30,
        'History retention of closed workflows when `setup` registers the namespace (days).',
        1,
      ),
      taskQueue: str('JIANYI_TASK_QUEUE', 'suggestions', "The workers' task queue."),
      /** TLS (and the client certificate for mTLS), or false. */
      tls: temporalTls
        ? {
            ...(temporalCert && temporalKey
              ? { clientCertPair: { crt: temporalCert, key: temporalKey } }
              : {}),
            ...(temporalCa ? { serverRootCACertificate: temporalCa } : {}),
            ...(temporalServerName ? { serverNameOverride: temporalServerName } : {}),
          }
        : false,
      apiKey: temporalApiKey ?? null,
    }),
  /**
   * The Temporal worker (workflows/src/worker.ts); the chosen values are explained in the README,
   * "Benchmarks" (worker tuning).
   */
  worker:
    (section('Worker'),
    {
      /** The workflow code bundled at build time (dist/workflow-bundle.js); unset: bundle at start (tsx, tests). */
      workflowBundle:
        optional(
          'JIANYI_WORKFLOW_BUNDLE',
          'The workflow bundle built by `pnpm build` (`dist/workflow-bundle.js`); unset: bundled at start (slow; tests).',
        ) || null,
      /** Workflow executions kept in memory (sticky cache); an evicted one is replayed from its history when it next wakes. */
      maxCachedWorkflows: int(
        'JIANYI_WORKER_MAX_CACHED_WORKFLOWS',
        1000,
        'Workflow executions kept in memory (sticky cache).',
        0,
      ),
      /** Workflow tasks run at once (each is short CPU work in the one reused V8 context). */
      maxConcurrentWorkflowTaskExecutions: int(
        'JIANYI_WORKER_MAX_WORKFLOW_TASKS',
        40,
        'Workflow tasks run at once.',
        2,
      ),
      /** Workflow task polls open at once (sticky and normal queue together; at most the workflow tasks). */
      maxConcurrentWorkflowTaskPolls: int(
        'JIANYI_WORKER_MAX_WORKFLOW_TASK_POLLS',
        10,
        'Workflow task polls open at once, sticky and normal queue together (capped at JIANYI_WORKER_MAX_WORKFLOW_TASKS).',
        2,
      ),
      /** The share of those polls on the normal queue, where every new execution's first task (and every evicted one's) waits. */
      nonStickyToStickyPollRatio: num(
        'JIANYI_WORKER_NON_STICKY_POLL_RATIO',
        0.5,
        "The share of the workflow task polls on the task queue's normal (non-sticky) queue: new and evicted executions' tasks.",
        0.01,
        1,
      ),
      /** Activities run at once: each is one PostgreSQL transaction, so about the connection pool's size. */
      maxConcurrentActivityTaskExecutions: int(
        'JIANYI_WORKER_MAX_ACTIVITIES',
        30,
        'Activities run at once (each one PostgreSQL transaction: about the pool size).',
        1,
      ),
      /** One V8 context shared by every workflow (the SDK's default since 1.9; kept explicit). */
      reuseV8Context: bool(
        'JIANYI_WORKER_REUSE_V8_CONTEXT',
        true,
        'One V8 context shared by every workflow.',
      ),
      /** PostgreSQL connections of the worker's pool. */
      pgPoolSize: pgPool.worker,
      /** Where the Temporal SDK's own metrics (Prometheus) are served; null: not served. */
      sdkMetricsAddress:
        optional(
          'JIANYI_WORKER_SDK_METRICS_ADDRESS',
          "Where the Temporal SDK's own Prometheus metrics are served (`host:port`, e.g. `127.0.0.1:9464`); unset: not served.",
          hostPortS,
        ) ?? null,
    }),
  /** Each process's operations port: /healthz, /readyz, /metrics (platform/src/ops.ts). */
  ops:
    (section('Processes and ports'),
    {
      host: opsHost,
      shutdownTimeoutMs: int(
        'JIANYI_SHUTDOWN_TIMEOUT_MS',
        25_000,
        "On SIGTERM, the longest a process waits for in-flight work before it exits anyway (keep below the orchestrator's grace period).",
        0,
      ),
      ports: {
        api: int('JIANYI_API_OPS_PORT', 3110, "The API's operations port (0: none).", 0),
        tracker: int('JIANYI_TRACKER_OPS_PORT', 3111, "The tracker's operations port (0: none).", 0),
        relay: int('JIANYI_RELAY_OPS_PORT', 3112, "The relay's operations port (0: none).", 0),
        notifier: int('JIANYI_NOTIFIER_OPS_PORT', 3113, "The notifier's operations port (0: none).", 0),
        worker: int('JIANYI_WORKER_OPS_PORT', 3114, "The worker's operations port (0: none).", 0),
        web: int('JIANYI_WEB_OPS_PORT', 3116, "The web app's operations port (0: none).", 0),
      } as Record<string, number>,
    }),
  httpHost,
  api: {
    port: int('JIANYI_API_PORT', 3100, "The API's HTTP port.", 1),
    /** How often the statistics projection is compacted. */
    statsCompactMs: int(
      'JIANYI_STATS_COMPACT_MS',
      2000,
      'How often (ms) the statistics projection is compacted.',
      0,
    ),
    trustProxy,
  },
  tracker: {
    port: int('JIANYI_TRACKER_PORT', 3101, "The tracker's (SSE) HTTP port.", 1),
    /** Seconds between a stream's session re-checks (logout, expiry, deactivation end it). */
    sessionRecheckMs:
      int('JIANYI_SSE_RECHECK_SECONDS', 15, "Seconds between a live stream's session re-checks.") * 1000,
    maxStreamsPerUser: int('JIANYI_SSE_MAX_STREAMS_PER_USER', 6, 'Live streams one user may hold.'),
    maxCatchUp: int(
      'JIANYI_SSE_MAX_CATCH_UP',
      10_000,
      'Events a resuming stream may replay; further behind, the client reloads.',
    ),
  },
  web: {
    port: webPort,
    /** Where the web app's proxy sends `/api/*` and `/events` (web/src/hooks.server.ts reads the same variables). */
    apiUrl: str(
      'JIANYI_API_URL',
      'http://127.0.0.1:3100',
      "Web app: the API it proxies `/api/*` to (a Service or balancer over the API instances); its readiness asks this API's /healthz.",
    ),
    trackerUrl: str(
      'JIANYI_TRACKER_URL',
      'http://127.0.0.1:3101',
      'Web app: the tracker it proxies `/events` (SSE) to.',
    ),
    /** The web app's address as people reach it (links in mails and robots' messages). */
    publicUrl: publicUrl || `http://127.0.0.1:${webPort}`,
    /** Whether JIANYI_PUBLIC_URL is set; if not, QR codes and tracking links use the host the request came to. */
    publicUrlSet: !!publicUrl,
  },
  /** 一码通 (constituent intake): abuse limits of the public form and the key sender addresses are hashed with. */
  intake:
    (section('一码通 (intake)'),
    {
      perAddressPerHour: int(
        'JIANYI_INTAKE_PER_ADDRESS_HOUR',
        5,
        'Messages a client address may send an hour.',
        1,
      ),
      perPhonePerDay: int('JIANYI_INTAKE_PER_PHONE_DAY', 3, 'Messages one phone number may send a day.', 1),
      /** A message's request body may not be larger than this (bytes). */
      maxBodyBytes: int(
        'JIANYI_INTAKE_MAX_BODY_BYTES',
        16 * 1024,
        'Largest request body of a message (bytes).',
        1024,
      ),
      /** HMAC key for sender addresses (kept only as a keyed hash, enough to count, not to recover). */
      hashKey: str(
        'JIANYI_INTAKE_HASH_KEY',
        'jianyi-intake',
        'HMAC key sender addresses are kept under (a keyed hash only); set a secret in production.',
      ),
    }),
  notifier:
    (section('Notifier and SMTP'),
    {
      smtp: {
        host: str('JIANYI_SMTP_HOST', '127.0.0.1', 'The SMTP server.'),
        port: int(
          'JIANYI_SMTP_PORT',
          2525,
          'The SMTP port (465 with JIANYI_SMTP_SECURE, 587 with JIANYI_SMTP_REQUIRE_TLS).',
          0,
        ),
        secure: bool('JIANYI_SMTP_SECURE', false, 'Implicit TLS from the first byte (port 465).'),
        requireTls: bool(
          'JIANYI_SMTP_REQUIRE_TLS',
          false,
          'STARTTLS required on a plain connection (port 587): never send in clear.',
        ),
        rejectUnauthorized: bool(
          'JIANYI_SMTP_TLS_VERIFY',
          true,
          "Whether the SMTP server's certificate must verify.",
        ),
        user: optional('JIANYI_SMTP_USER', 'SMTP user name; unset: no authentication.') || null,
        pass: optional('JIANYI_SMTP_PASS', 'SMTP password (from a secret).') || null,
        from: str('JIANYI_SMTP_FROM', '代表建议办理平台 <noreply@jianyi.local>', 'The sender of every mail.'),
      },
      retryBaseMs: int(
        'JIANYI_NOTIFY_RETRY_BASE_MS',
        30_000,
        'First retry of a failed delivery after this many ms, doubling each attempt.',
        0,
      ),
      maxAttempts: int(
        'JIANYI_NOTIFY_MAX_ATTEMPTS',
        6,
        'After this many failed attempts a delivery is marked failed.',
        0,
      ),
      pollMs: int(
        'JIANYI_NOTIFY_POLL_MS',
        2_000,
        'How often (ms) the dispatcher looks for due deliveries.',
        0,
      ),
      digestAt: digestAtRaw,
      digestWithinWorkingDays: int(
        'JIANYI_DIGEST_WITHIN_WORKING_DAYS',
        3,
        'The digest lists items due within this many working days (and overdue ones).',
        0,
      ),
      webhookTimeoutMs: int(
        'JIANYI_WEBHOOK_TIMEOUT_MS',
        10_000,
        "Timeout (ms) of a unit robot's webhook call.",
        0,
      ),
    } satisfies NotifierSettings as NotifierSettings),
  /**
   * The jurisdiction policy every new item enters with, overriding the admin's choice (tests pin
   * one); unset: the policy in force.
   */
  policyVersion:
    (section('General'),
    optional(
      'JIANYI_POLICY_VERSION',
      'Pins the jurisdiction policy every new item enters with (tests); unset: the policy in force.',
    )),
  /** The process's name in PostgreSQL (pg_stat_activity), set per service by infra/services.sh. */
  appName: str(
    'JIANYI_APP_NAME',
    'jianyi',
    "The process's name in PostgreSQL (pg_stat_activity) and its logs.",
  ),
  logLevel,
  /** The demo accounts' password (seed). */
  demoPassword: str('JIANYI_DEMO_PASSWORD', 'Demo@2026', "The demo accounts' password (seed; local stacks)."),
  sessionTtlHours:
    (section('Security'), int('JIANYI_SESSION_TTL_HOURS', 12, 'Hours a session lives without use.')),
  /** Requests a minute to the public (no login) API per client address. */
  publicRatePerMinute: int(
    'JIANYI_PUBLIC_RATE_PER_MINUTE',
    120,
    'Requests a minute to the public (no login) API per client address.',
  ),
  /** Login throttling (登录限制): failures within the window lock the account / the address for a growing time. */
  loginThrottle: {
    accountFailures: int(
      'JIANYI_LOGIN_MAX_FAILURES_PER_ACCOUNT',
      5,
      'Failed logins of one account within the window before it is locked.',
    ),
    addressFailures: int(
      'JIANYI_LOGIN_MAX_FAILURES_PER_ADDRESS',
      30,
      'Failed logins from one address within the window before it is locked.',
    ),
    windowMinutes: int('JIANYI_LOGIN_WINDOW_MINUTES', 15, 'The login-failure window (minutes).'),
    /** The first lock; each further failure doubles it, up to maxLockSeconds. */
    lockSeconds: int(
      'JIANYI_LOGIN_LOCK_SECONDS',
      60,
      'The first lock (seconds); each further failure doubles it.',
    ),
    maxLockSeconds: int('JIANYI_LOGIN_MAX_LOCK_SECONDS', 3600, 'The longest lock (seconds).'),
  },
  /**
   * The fonts the printed documents (答复函, 代表建议, 案卷 PDFs) embed, subset: a CJK serif for the text
   * and its bold for headings; `*Face` names the face inside a font collection (.ttc). Debian's
   * fonts-noto-cjk by default (infra/install.sh installs it).
   */
  pdf:
    (section('Printed documents'),
    {
      font: str(
        'JIANYI_PDF_FONT',
        '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
        'The CJK serif font the PDFs embed.',
      ),
      fontFace: str(
        'JIANYI_PDF_FONT_FACE',
        'NotoSerifCJKsc-Regular',
        'The face inside JIANYI_PDF_FONT (a .ttc collection).',
      ),
      boldFont: str(
        'JIANYI_PDF_BOLD_FONT',
        '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc',
        'The bold font for headings.',
      ),
      boldFontFace: str(
        'JIANYI_PDF_BOLD_FONT_FACE',
        'NotoSerifCJKsc-Bold',
        'The face inside JIANYI_PDF_BOLD_FONT.',
      ),
    }),
  /**
   * 附件 (attachments): where the files are kept and how large they may be. `store` is `local` (files
   * under `dir`, the embedded default) or `s3` (an S3-compatible object store: endpoint, bucket,
   * keys; path-style addressing). Limits: one file, all files of one record (a suggestion, contact,
   * reply or message) by count and by bytes.
   */
  attachments:
    (section('Attachments'),
    {
      store: (setting(
        'JIANYI_STORAGE',
        z.enum(['local', 's3'], { error: 'must be local or s3' }),
        'local',
        'Where attachments are kept: `local` (files under JIANYI_STORAGE_DIR) or `s3` (an S3-compatible object store).',
      ) ?? 'local') as 'local' | 's3',
      dir:
        optional(
          'JIANYI_STORAGE_DIR',
          'The attachments folder when JIANYI_STORAGE=local. Default `<data folder>/attachments`.',
        ) || path.join(dataDir, 'attachments'),
      s3: {
        endpoint: str(
          'JIANYI_S3_ENDPOINT',
          '',
          'The S3-compatible endpoint URL (JIANYI_STORAGE=s3), path-style addressing.',
        ),
        region: str('JIANYI_S3_REGION', 'us-east-1', 'The S3 region name the store expects.'),
        bucket: str('JIANYI_S3_BUCKET', 'jianyi-attachments', 'The bucket attachments are kept in.'),
        accessKeyId: str('JIANYI_S3_ACCESS_KEY', '', 'The S3 access key id.'),
        secretAccessKey: str(
          'JIANYI_S3_SECRET_KEY',
          '',
          'The S3 secret key (from a secret, never in a file in the repository).',
        ),
      },
      maxFileBytes: int(
        'JIANYI_ATTACHMENT_MAX_FILE_BYTES',
        20 * 1024 * 1024,
        'Largest attachment file, in bytes.',
        1024,
      ),
      maxFilesPerRecord: int(
        'JIANYI_ATTACHMENT_MAX_FILES_PER_RECORD',
        20,
        'Most files on one record (suggestion, contact, reply, message).',
        1,
      ),
      maxBytesPerRecord: int(
        'JIANYI_ATTACHMENT_MAX_BYTES_PER_RECORD',
        100 * 1024 * 1024,
        'Most bytes of all files on one record.',
        1024,
      ),
      /** A constituent's message (一码通): photos only, fewer and smaller. */
      maxMessageFiles: int(
        'JIANYI_ATTACHMENT_MAX_MESSAGE_FILES',
        6,
        "Most photos on a constituent's message (一码通).",
        1,
      ),
      maxMessageFileBytes: int(
        'JIANYI_ATTACHMENT_MAX_MESSAGE_FILE_BYTES',
        10 * 1024 * 1024,
        "Largest photo on a constituent's message, in bytes.",
        1024,
      ),
    }),
  /** The key robot secrets are encrypted under (32 bytes, base64; security/secrets.ts). */
  secretKey:
    (section('Security'),
    optional(
      'JIANYI_SECRET_KEY',
      "The key unit robots' secrets are encrypted under: 32 bytes in base64 (`openssl rand -base64 32`). Required by the API and the notifier outside dev/test.",
    )),
  /** The robot hosts a unit webhook may post to, comma-separated (security/webhook-url.ts). */
  webhookHosts: optional(
    'JIANYI_WEBHOOK_HOSTS',
    'The robot hosts a unit webhook may post to, comma-separated; unset: the built-in list.',
  ),
  /** Secure, and named with the __Host- prefix (no Domain, path /, https only), outside dev and test. */
  secureCookies,
  cookieName: secureCookies ? '__Host-jianyi_sid' : 'jianyi_sid',
} as const;

/**
 * What a deployment must set before a service starts (outside the dev and test stacks), by variable
 * name: the database URL(s), and the secret key for the services that store or read robot secrets;
 * and, on every stack, each variable whose value is wrong.
 */
export function missingSettings(
  needs: { secretKey?: boolean; migration?: boolean; database?: boolean } = {},
): string[] {
  const missing: string[] = [...configErrors];
  if (localStack) return missing;
  if (!process.env.JIANYI_DATABASE_URL && !needs.migration && needs.database !== false)
    missing.push('JIANYI_DATABASE_URL');
  if (!process.env.JIANYI_MIGRATION_DATABASE_URL && needs.migration)
    missing.push('JIANYI_MIGRATION_DATABASE_URL');
  if (needs.secretKey) {
    const key = process.env.JIANYI_SECRET_KEY;
    if (!key) missing.push('JIANYI_SECRET_KEY');
    else if (Buffer.from(key, 'base64').length !== 32) missing.push('JIANYI_SECRET_KEY (32 bytes in base64)');
  }
  return missing;
}

/** Stops the process at start, naming each missing or wrong setting (a deployment's configuration error). */
export function requireSettings(service: string, needs: Parameters<typeof missingSettings>[0] = {}): void {
  const missing = missingSettings(needs);
  if (!missing.length) return;
  console.error(
    `${service}: refusing to start with JIANYI_ENV=${env}: set ${missing.join(', ')} ` +
      `(see docs/configuration.md) / 缺少或错误的配置: ${missing.join(', ')}`,
  );
  process.exit(2);
}

/** docs/configuration.md: every variable, by group (generated; `pnpm config:doc`). */
export function configurationReference(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    '# Configuration reference (配置参考)',
    '',
    'Every environment variable the services read, generated from `services/platform/src/config.ts`',
    '(`pnpm config:doc`; a unit test fails when this file is out of date). A wrong value stops the service',
    'at start with a message naming the variable (exit code 2). Ports and addresses of the local stacks are',
    'set by `infra/env.sh`; a deployment sets them in its Helm values or systemd environment file.',
    '',
  ];
  const groups = [...new Set(settingDocs.map((d) => d.group))];
  for (const g of groups) {
    out.push(`## ${g}`, '', '| variable | default | meaning |', '| --- | --- | --- |');
    for (const d of settingDocs.filter((x) => x.group === g))
      out.push(
        `| \`${d.name}\` | ${d.default === '(unset)' ? '(unset)' : `\`${esc(d.default)}\``} | ${esc(d.doc)} |`,
      );
    out.push('');
  }
  return out.join('\n');
}
