/**
 * Sends due deliveries (email through SMTP, webhooks as signed JSON posts). One row at a time is
 * claimed with FOR UPDATE SKIP LOCKED and kept locked while it is sent, so two dispatchers (a
 * restarted notifier and the old one, or a test and the running service) never send the same row.
 * A failed attempt is recorded (attempts, last_error) and retried after an exponential backoff; after
 * `maxAttempts` the row is marked failed. A crash between the SMTP server's acceptance and the commit
 * can still send a row twice: delivery is at-least-once at that single point, exactly-once otherwise.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { checkWebhookUrl, decryptSecret, type NotifierSettings } from '@jianyi/platform';
import { backoffMs } from './schedule';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signing';

export function createMailer(smtp: NotifierSettings['smtp']): Transporter {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    // STARTTLS required (port 587) and the certificate checked, as configured (docs/configuration.md).
    requireTLS: smtp.requireTls ?? false,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized ?? true },
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

export interface DispatchDeps {
  mailer: Transporter;
  settings: Pick<NotifierSettings, 'retryBaseMs' | 'maxAttempts' | 'webhookTimeoutMs'> & {
    smtp: Pick<NotifierSettings['smtp'], 'from'>;
  };
  /** Clock; tests pass an instant to see what is due then. */
  now?: number;
  /** At most this many rows per call. */
  limit?: number;
  /** Only these events' rows (an operator's resend, or a test that must not touch others' rows). */
  eventIds?: string[];
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

interface DueRow {
  id: string;
  channel: string;
  address: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

export async function dispatchDue(ds: DataSource, deps: DispatchDeps): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
  const limit = deps.limit ?? 50;
  for (let i = 0; i < limit; i += 1) {
    const now = deps.now ?? Date.now();
    const done = await ds.transaction(async (m) => {
      const rows: DueRow[] = await m.query(
        `SELECT id, channel, address, recipient, subject, body, attempts FROM notification_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1 AND ($2::uuid[] IS NULL OR event_id = ANY($2::uuid[]))
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [new Date(now).toISOString(), deps.eventIds ?? null],
      );
      const row = rows[0];
      if (!row) return false;
      const attempts = row.attempts + 1;
      try {
        await send(row, deps, async (unitId) => {
          const w: { secret: string }[] = await m.query(
            `SELECT secret FROM unit_webhooks WHERE unit_id = $1`,
            [unitId],
          );
          if (!w[0]) throw new Error(`unit ${unitId} has no webhook secret`);
          return decryptSecret(w[0].secret);
        });
        await m.query(
          `UPDATE notification_deliveries SET status = 'sent', attempts = $2, sent_at = now(), last_error = NULL WHERE id = $1`,
          [row.id, attempts],
        );
        result.sent += 1;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const giveUp = attempts >= deps.settings.maxAttempts;
        await m.query(
          `UPDATE notification_deliveries SET status = $2, attempts = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1`,
          [
            row.id,
            giveUp ? 'failed' : 'pending',
            attempts,
            message.slice(0, 1000),
            new Date(now + backoffMs(attempts, deps.settings.retryBaseMs)).toISOString(),
          ],
        );
        if (giveUp) result.failed += 1;
        else result.retried += 1;
      }
      return true;
    });
    if (!done) break;
  }
  return result;
}

async function send(
  row: DueRow,
  deps: DispatchDeps,
  secretOf: (unitId: string) => Promise<string>,
): Promise<void> {
  if (row.channel === 'email') {
    await deps.mailer.sendMail({
      from: deps.settings.smtp.from,
      to: row.address,
      subject: row.subject,
      text: row.body,
      // Base64 keeps the Chinese text intact through any relay (and easy to read back in tests).
      textEncoding: 'base64',
      headers: { 'X-Jianyi-Delivery': row.id },
    });
    return;
  }
  if (row.channel === 'webhook') {
    const unitId = row.recipient.replace(/^unit:/, '');
    // The secret is read at send time, so a rotated secret applies to held and retried rows too.
    const timestamp = String(Date.now());
    // SSRF: checked again at send time (a host may resolve elsewhere since it was saved).
    await checkWebhookUrl(row.address).catch((e: Error) => {
      throw new Error(`webhook URL refused: ${e.message}`);
    });
    const res = await fetch(row.address, {
      redirect: 'manual', // a redirect could lead into the internal network: it counts as a failure
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(await secretOf(unitId), timestamp, row.body),
        'x-jianyi-delivery': row.id,
      },
      body: row.body,
      signal: AbortSignal.timeout(deps.settings.webhookTimeoutMs),
    });
    if (!res.ok || res.status >= 300) throw new Error(`webhook answered HTTP ${res.status}`);
    return;
  }
  throw new Error(`unknown channel ${row.channel}`);
}
