/**
 * A unit's group robot URL (企业微信 / 钉钉 / 飞书) is entered by an admin and called by the notifier:
 * without checks it is a server-side request forgery (SSRF) path into the deployment's network
 * (ASVS V12.6 / OWASP SSRF). Checked when it is saved and again before each send (DNS may change):
 * - https only, outside the local dev and test stacks;
 * - the host must be on the allowlist (`JIANYI_WEBHOOK_HOSTS`, comma-separated; by default the robot
 *   services' own hosts) outside the local stacks;
 * - every address the host resolves to must be a public unicast address: never loopback, private,
 *   link-local (cloud metadata at 169.254.169.254), CGNAT, multicast or unspecified. The local stacks
 *   may call loopback and private addresses (the tests' receivers), never link-local and the like.
 * The notifier also refuses redirects.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { config } from '../config';

export interface WebhookPolicy {
  httpsOnly: boolean;
  /** Empty: any host (the address checks still apply). */
  allowedHosts: string[];
  allowLoopbackAndPrivate: boolean;
}

const localStack = config.env === 'dev' || config.env === 'test';
export const defaultWebhookPolicy: WebhookPolicy = {
  httpsOnly: !localStack,
  allowedHosts: (
    config.webhookHosts ?? (localStack ? '' : 'qyapi.weixin.qq.com,oapi.dingtalk.com,open.feishu.cn')
  )
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean),
  allowLoopbackAndPrivate: localStack,
};

export class WebhookUrlError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const LOCAL_RANGES = new Set(['loopback', 'private', 'uniqueLocal']);

/** Throws WebhookUrlError (with a Chinese and an English reason) when the URL may not be called. */
export async function checkWebhookUrl(
  raw: string,
  policy: WebhookPolicy = defaultWebhookPolicy,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('机器人地址:不是有效的网址', 'not a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.httpsOnly))
    throw new WebhookUrlError('机器人地址:必须使用 https', 'must use https');
  if (url.username || url.password)
    throw new WebhookUrlError('机器人地址:不能包含用户名或密码', 'must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowedHosts.length && !policy.allowedHosts.includes(host))
    throw new WebhookUrlError(
      `机器人地址:主机 ${host} 不在允许的机器人服务列表中`,
      `host ${host} is not on the robot host allowlist`,
    );
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new WebhookUrlError(`机器人地址:无法解析主机 ${host}`, `host ${host} does not resolve`);
    }
  }
  for (const a of addresses) {
    let ip = ipaddr.parse(a);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
      ip = (ip as ipaddr.IPv6).toIPv4Address();
    const range = ip.range();
    if (range === 'unicast') continue;
    if (policy.allowLoopbackAndPrivate && LOCAL_RANGES.has(range)) continue;
    throw new WebhookUrlError(
      `机器人地址:不能指向内部或保留地址(${a})`,
      `resolves to an internal or reserved address (${a}, ${range})`,
    );
  }
  return url;
}

/**
 * The URL as responses, pages and the audit log show it: robot URLs carry their token in the query
 * (access_token=…, key=…), so every query value is cut to its first 4 characters.
 */
export function maskWebhookUrl(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const url = new URL(raw);
    if (!url.search) return raw;
    for (const [k, v] of [...url.searchParams])
      url.searchParams.set(k, v.length > 4 ? `${v.slice(0, 4)}****` : '****');
    return url.toString();
  } catch {
    return '****';
  }
}
