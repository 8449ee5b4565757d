/**
 * Webhook signatures: HMAC-SHA256 with the unit robot's secret over `${timestamp}.${rawBody}`, sent as
 * `X-Jianyi-Timestamp` (epoch ms) and `X-Jianyi-Signature: sha256=<hex>`. A receiver recomputes it
 * over the raw body it got and rejects old timestamps, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-jianyi-timestamp';
export const SIGNATURE_HEADER = 'x-jianyi-signature';

export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** True when `signature` is valid for the body and the timestamp is within `toleranceMs` of `now`. */
export function verifyWebhook(
  secret: string,
  timestamp: string,
  rawBody: string,
  signature: string,
  now = Date.now(),
  toleranceMs = 5 * 60_000,
): boolean {
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > toleranceMs) return false;
  const want = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
