/**
 * Webhook signatures: HMAC-SHA256 with the unit robot's secret over `${timestamp}.${rawBody}`, sent as
 * `X-Jianyi-Timestamp` (epoch ms) and `X-Jianyi-Signature: sha256=<hex>`. A receiver recomputes it
 * over the raw body it got and rejects old timestamps, so a captured request cannot be replayed later.
 */
import { timingSafeEqual } from 'node:crypto';
import { ROBOT_SIGNATURE_HEADER, ROBOT_TIMESTAMP_HEADER, dingtalkSign, signGeneric } from '@jianyi/platform';

export const TIMESTAMP_HEADER = ROBOT_TIMESTAMP_HEADER;
export const SIGNATURE_HEADER = ROBOT_SIGNATURE_HEADER;

export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return signGeneric(secret, timestamp, rawBody);
}

/** 钉钉's check of 加签 (what a DingTalk robot does): `timestamp` and `sign` from the query string. */
export function verifyDingtalk(
  secret: string,
  timestamp: string,
  sign: string,
  now = Date.now(),
  toleranceMs = 60 * 60_000,
): boolean {
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > toleranceMs) return false;
  const want = Buffer.from(dingtalkSign(secret, timestamp));
  const got = Buffer.from(sign);
  return want.length === got.length && timingSafeEqual(want, got);
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
