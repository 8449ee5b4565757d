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
import { robotKinds, type RobotKind } from '@jianyi/domain';
import { decryptSecret, postRobot, type NotifierSettings } from '@jianyi/platform';
import { backoffMs } from './schedule';

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
          const w: { secret: string; kind: string }[] = await m.query(
            `SELECT secret, kind FROM unit_webhooks WHERE unit_id = $1`,
            [unitId],
          );
          if (!w[0]) throw new Error(`unit ${unitId} has no webhook secret`);
          const kind = (robotKinds as readonly string[]).includes(w[0].kind)
            ? (w[0].kind as RobotKind)
            : 'generic';
          return { secret: w[0].secret ? decryptSecret(w[0].secret) : null, kind };
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
  robotOf: (unitId: string) => Promise<{ secret: string | null; kind: RobotKind }>,
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
    // The kind and secret are read at send time, so a rotated secret or a changed kind applies to
    // held and retried rows too. The stored body is our generic JSON: a 钉钉 or 企业微信 robot gets
    // the same text in its own format (a confidential item's stored text is the generic one).
    const robot = await robotOf(unitId);
    const stored = JSON.parse(row.body) as { text?: { content?: string } };
    const content = (stored.text?.content ?? '').replace(/^【代表建议办理】[^\n]*\n?/, '');
    await postRobot(
      robot.kind,
      row.address,
      robot.secret,
      { title: row.subject, text: content },
      { timeoutMs: deps.settings.webhookTimeoutMs, rawGenericBody: row.body, deliveryId: row.id },
    );
    return;
  }
  throw new Error(`unknown channel ${row.channel}`);
}
