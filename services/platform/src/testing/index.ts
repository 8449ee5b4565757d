/** Helpers for integration and end-to-end tests against the running test stack (./dev test). */
import { config } from '../config';
import { DEMO_PASSWORD } from '../db/seed';

export const apiBase = () => `http://127.0.0.1:${config.api.port}`;
/** A password that passes the account rules (12+ characters, not common), for accounts tests create. */
export const STRONG_TEST_PASSWORD = 'Lamp-Orbit-Tr4in-93';
export const webBase = () => `http://127.0.0.1:${config.web.port}`;

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** A minimal cookie-keeping API client for one user. */
export class ApiSession {
  private cookie = '';
  constructor(private base = apiBase()) {}

  static async login(username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
    const s = new ApiSession();
    const r = await s.call('POST', '/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return s;
  }

  /** A GET whose answer is read as bytes (a PDF, a workbook), with the session's cookie. */
  async download(path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
    const res = await fetch(this.base + path, { headers: this.cookie ? { cookie: this.cookie } : {} });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  }

  /** A multipart/form-data POST of one file in the part `file` (an attachment upload), with the session's cookie. */
  async upload(
    path: string,
    file: { name: string; bytes: Buffer; type?: string },
    headers: Record<string, string> = {},
  ) {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: form,
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const set = res.headers.getSetCookie();
    if (set.length) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}
