/** The notifier's settings from the environment (infra/env.sh sets the SMTP port per stack). */
function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

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

export function notifierSettings(env: NodeJS.ProcessEnv = process.env): NotifierSettings {
  return {
    smtp: {
      host: env.JIANYI_SMTP_HOST || '127.0.0.1',
      port: int('JIANYI_SMTP_PORT', 2525),
      secure: env.JIANYI_SMTP_SECURE === 'true',
      user: env.JIANYI_SMTP_USER || null,
      pass: env.JIANYI_SMTP_PASS || null,
      from: env.JIANYI_SMTP_FROM || '代表建议办理平台 <noreply@jianyi.local>',
    },
    retryBaseMs: int('JIANYI_NOTIFY_RETRY_BASE_MS', 30_000),
    maxAttempts: int('JIANYI_NOTIFY_MAX_ATTEMPTS', 6),
    pollMs: int('JIANYI_NOTIFY_POLL_MS', 2_000),
    digestAt: /^([01]\d|2[0-3]):[0-5]\d$/.test(env.JIANYI_DIGEST_AT ?? '') ? env.JIANYI_DIGEST_AT! : '09:00',
    digestWithinWorkingDays: int('JIANYI_DIGEST_WITHIN_WORKING_DAYS', 3),
    webhookTimeoutMs: int('JIANYI_WEBHOOK_TIMEOUT_MS', 10_000),
  };
}
