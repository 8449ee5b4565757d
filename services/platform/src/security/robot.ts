/**
 * Posting to a unit's group robot (群机器人), by kind:
 * - `generic`: our JSON (`msgtype: text` plus the event) signed with HMAC-SHA256 over
 *   `${timestamp}.${rawBody}` in `X-Jianyi-Timestamp` / `X-Jianyi-Signature: sha256=<hex>`;
 * - `dingtalk` (钉钉 custom robot with 加签): `timestamp` (epoch ms) and
 *   `sign` = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), URL-encoded, in the query string;
 *   body `{ msgtype: 'markdown', markdown: { title, text } }`; it answers `{ errcode: 0, errmsg: 'ok' }`;
 * - `wecom` (企业微信 group robot: the key in the URL is its secret): `{ msgtype: 'markdown',
 *   markdown: { content } }`; it answers `{ errcode: 0, errmsg: 'ok' }`.
 * What is posted is decided by the caller (the notifier gives confidential items' generic text only).
 * The URL is checked against SSRF before every post (checkWebhookUrl) and redirects are refused.
 */
import { createHmac } from 'node:crypto';
import type { RobotKind } from '@jianyi/domain';
import { checkWebhookUrl } from './webhook-url';

export const ROBOT_TIMESTAMP_HEADER = 'x-jianyi-timestamp';
export const ROBOT_SIGNATURE_HEADER = 'x-jianyi-signature';

export interface RobotMessage {
  title: string;
  /** Plain text; lines kept. */
  text: string;
  /** Our event reference (generic robots only). */
  event?: Record<string, unknown>;
}

/** `sha256=<hex>` over `${timestamp}.${rawBody}` (generic robots). */
export function signGeneric(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** 钉钉 加签: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), not yet URL-encoded. */
export function dingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** The generic JSON body (what the notifier stores for a robot delivery). */
export function genericRobotBody(m: RobotMessage): string {
  return JSON.stringify({
    msgtype: 'text',
    text: { content: `【代表建议办理】${m.title}\n${m.text}` },
    ...(m.event ? { event: m.event } : {}),
  });
}

export interface RobotRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const markdownLines = (s: string) => s.replace(/\r?\n/g, '  \n');

/**
 * The HTTP request for a robot of this kind. `rawGenericBody` is sent as stored for generic robots
 * (so what was stored is what was signed).
 */
export function robotRequest(
  kind: RobotKind,
  url: string,
  secret: string | null,
  m: RobotMessage,
  opts: { now?: number; rawGenericBody?: string; deliveryId?: string } = {},
): RobotRequest {
  const timestamp = String(opts.now ?? Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (opts.deliveryId) headers['x-jianyi-delivery'] = opts.deliveryId;
  if (kind === 'dingtalk') {
    const u = new URL(url);
    if (secret) {
      u.searchParams.set('timestamp', timestamp);
      u.searchParams.set('sign', dingtalkSign(secret, timestamp));
    }
    const body = JSON.stringify({
      msgtype: 'markdown',
      markdown: { title: m.title, text: `#### 【代表建议办理】${m.title}  \n${markdownLines(m.text)}` },
    });
    return { url: u.toString(), headers, body };
  }
  if (kind === 'wecom') {
    const body = JSON.stringify({
      msgtype: 'markdown',
      markdown: { content: `**【代表建议办理】${m.title}**\n${m.text}` },
    });
    return { url, headers, body };
  }
  const body = opts.rawGenericBody ?? genericRobotBody(m);
  if (secret) {
    headers[ROBOT_TIMESTAMP_HEADER] = timestamp;
    headers[ROBOT_SIGNATURE_HEADER] = signGeneric(secret, timestamp, body);
  }
  return { url, headers, body };
}

export class RobotError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly answer: string,
  ) {
    super(message);
  }
}

export interface RobotAnswer {
  status: number;
  /** The robot's answer (first 2,000 characters). */
  answer: string;
}

/**
 * Posts to the robot; throws RobotError when the URL is refused, the robot cannot be reached, answers
 * a non-2xx status, or (钉钉 / 企业微信) answers an `errcode` other than 0.
 */
export async function postRobot(
  kind: RobotKind,
  url: string,
  secret: string | null,
  m: RobotMessage,
  opts: { timeoutMs: number; now?: number; rawGenericBody?: string; deliveryId?: string },
): Promise<RobotAnswer> {
  try {
    await checkWebhookUrl(url);
  } catch (e) {
    throw new RobotError(`webhook URL refused: ${(e as Error).message}`, null, '');
  }
  const req = robotRequest(kind, url, secret, m, opts);
  let res: Response;
  try {
    res = await fetch(req.url, {
      redirect: 'manual', // a redirect could lead into the internal network: it counts as a failure
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new RobotError(`webhook unreachable: ${cause ?? (e as Error).message}`, null, '');
  }
  const answer = (await res.text().catch(() => '')).slice(0, 2000);
  if (!res.ok || res.status >= 300)
    throw new RobotError(`webhook answered HTTP ${res.status}`, res.status, answer);
  if (kind !== 'generic') {
    let errcode: unknown = 0;
    try {
      errcode = (JSON.parse(answer) as { errcode?: unknown }).errcode ?? 0;
    } catch {
      errcode = 'not JSON';
    }
    if (errcode !== 0) throw new RobotError(`robot answered errcode ${String(errcode)}`, res.status, answer);
  }
  return { status: res.status, answer };
}
