import type { Handle } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { isLocale, LOCALE_COOKIE, toLocale } from '$lib/i18n';

/**
 * Reverse proxy: the browser only ever talks to this origin, so the session cookie is
 * first-party and SSE needs no CORS. `/api/*` goes to services/api, `/events` to
 * services/tracker. Bodies are streamed both ways (never buffered), which SSE requires.
 */

const DEFAULT_API_URL = 'http://127.0.0.1:3100';
const DEFAULT_TRACKER_URL = 'http://127.0.0.1:3101';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and headers that fetch must compute itself. */
const REQUEST_HEADERS_DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
  'accept-encoding',
]);

const RESPONSE_HEADERS_DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // copied separately with getSetCookie(): folding them into one line breaks cookies with dates
  'set-cookie',
]);

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function upstreamFor(pathname: string): string | null {
  if (pathname.startsWith('/api/') || pathname.startsWith('/open311/'))
    return env.JIANYI_API_URL || DEFAULT_API_URL;
  if (pathname === '/events' || pathname.startsWith('/events/')) {
    return env.JIANYI_TRACKER_URL || DEFAULT_TRACKER_URL;
  }
  return null;
}

/** Joins the upstream base (which may carry a path prefix) with the incoming path and query. */
function targetUrl(base: string, incoming: URL): URL {
  const upstream = new URL(base);
  const prefix = upstream.pathname.replace(/\/+$/, '');
  // Open311 GeoReport v2 has its own well-known base (/open311/v2); the API serves it under /api.
  const path = incoming.pathname.startsWith('/open311/') ? `/api${incoming.pathname}` : incoming.pathname;
  return new URL(`${prefix}${path}${incoming.search}`, upstream.origin);
}

function forwardedRequestHeaders(request: Request, incoming: URL, clientAddress: string | null): Headers {
  const headers = new Headers();
  const connectionTokens = (request.headers.get('connection') ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);

  for (const [name, value] of request.headers) {
    if (REQUEST_HEADERS_DROPPED.has(name) || connectionTokens.includes(name)) continue;
    headers.append(name, value);
  }
  // Ask for an uncompressed body: fetch would otherwise decode it anyway, and compression
  // makes some servers buffer SSE.
  headers.set('accept-encoding', 'identity');

  if (clientAddress) {
    const prior = request.headers.get('x-forwarded-for');
    headers.set('x-forwarded-for', prior ? `${prior}, ${clientAddress}` : clientAddress);
  }
  if (!headers.has('x-forwarded-host')) headers.set('x-forwarded-host', incoming.host);
  if (!headers.has('x-forwarded-proto'))
    headers.set('x-forwarded-proto', incoming.protocol.replace(/:$/, ''));
  return headers;
}

function responseHeaders(upstream: Response, target: URL, incoming: URL): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream.headers) {
    if (RESPONSE_HEADERS_DROPPED.has(name)) continue;
    headers.append(name, value);
  }
  for (const cookie of upstream.headers.getSetCookie()) headers.append('set-cookie', cookie);

  // fetch has already decoded a compressed body, so its encoding and length no longer apply.
  if (upstream.headers.has('content-encoding')) {
    headers.delete('content-encoding');
    headers.delete('content-length');
  }

  // An absolute redirect to the upstream's own origin must point back at this origin.
  const location = headers.get('location');
  if (location) {
    try {
      const resolved = new URL(location, target);
      if (resolved.origin === target.origin) {
        headers.set('location', `${incoming.origin}${resolved.pathname}${resolved.search}${resolved.hash}`);
      }
    } catch {
      // not a URL we understand: pass it through unchanged
    }
  }

  if (headers.get('content-type')?.startsWith('text/event-stream')) {
    // Tell any reverse proxy in front of us (nginx) not to buffer the stream either.
    headers.set('x-accel-buffering', 'no');
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-cache');
  }
  return headers;
}

/**
 * The upstream could not be reached. The browser learns only that; where the upstream lives and why
 * it failed go to the server log.
 */
function badGateway(): Response {
  return problem(
    502,
    'urn:jianyi:problem:upstream-unavailable',
    '服务暂时不可用',
    'The service is temporarily unavailable. Please try again later.',
  );
}

function problem(status: number, type: string, title: string, detail: string, errors?: unknown[]): Response {
  return new Response(JSON.stringify({ type, title, status, detail, ...(errors ? { errors } : {}) }), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** The API takes JSON bodies up to 1 MB; a larger one is refused here, before it is streamed upstream. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * File uploads (附件, multipart/form-data) are streamed through up to this size; the API checks each
 * file against its own configured limits (per file, per record) and answers 413 itself.
 */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

async function proxy(request: Request, base: string, clientAddress: string | null): Promise<Response> {
  const incoming = new URL(request.url);
  const target = targetUrl(base, incoming);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const length = Number(request.headers.get('content-length') ?? 0);
  const upload = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');
  if (hasBody && length > (upload ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES)) {
    const refused = upload
      ? problem(413, 'about:blank', '上传内容过大', 'upload larger than 64 MB', [
          { field: 'file', message: '文件：上传内容不能超过 64 MB', messageEn: 'upload larger than 64 MB' },
        ])
      : problem(413, 'about:blank', '请求体过大', 'request body is larger than 1 MB', [
          { field: '(body)', message: '请求体不能超过 1 MB', messageEn: 'request body is larger than 1 MB' },
        ]);
    // The body is left unread, so the connection cannot carry another request: say so, or a client
    // that keeps connections alive sends its next request on a socket the server is closing.
    refused.headers.set('connection', 'close');
    return refused;
  }

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: forwardedRequestHeaders(request, incoming, clientAddress),
      body: hasBody ? request.body : null,
      // Required by Node's fetch to send a ReadableStream body without buffering it.
      ...(hasBody ? { duplex: 'half' as const } : {}),
      redirect: 'manual',
      // Aborted by the Node adapter when the browser goes away, which also ends SSE upstream.
      signal: request.signal,
    } as RequestInit);
  } catch (cause) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    console.error(`[proxy] ${request.method} ${target.href} failed:`, cause);
    return badGateway();
  }

  const body = request.method === 'HEAD' || NULL_BODY_STATUSES.has(upstream.status) ? null : upstream.body;
  return new Response(body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders(upstream, target, incoming),
  });
}

/**
 * Headers of every page (issue 10), beside the CSP of svelte.config.js: no framing (the one-click
 * actions could be clickjacked), no sniffing, no referrer to other sites, and HSTS where the platform
 * is served over https (JIANYI_PUBLIC_URL).
 */
function securePageHeaders(h: Headers): void {
  h.set('X-Frame-Options', 'DENY');
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  h.set('Cross-Origin-Opener-Policy', 'same-origin');
  h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if ((env.JIANYI_PUBLIC_URL ?? '').startsWith('https://'))
    h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}

export const handle: Handle = async ({ event, resolve }) => {
  const base = upstreamFor(event.url.pathname);
  if (base === null) {
    // A page: rendered in the user's language (the header switch writes the cookie).
    const chosen = event.cookies.get(LOCALE_COOKIE);
    const locale = toLocale(chosen);
    event.locals.locale = locale;
    event.locals.localeFromCookie = isLocale(chosen);
    const response = await resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%jianyi.lang%', locale),
    });
    securePageHeaders(response.headers);
    return response;
  }

  let clientAddress: string | null = null;
  try {
    clientAddress = event.getClientAddress();
  } catch {
    // not available for internal requests made during SSR
  }
  return proxy(event.request, base, clientAddress);
};
