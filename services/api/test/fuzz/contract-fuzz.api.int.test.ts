/**
 * Property-based contract test (issue 10, "every input gets a 4xx"): requests generated from the
 * served OpenAPI document for every operation and every role — valid, boundary and hostile (wrong
 * types, huge and control-character strings, unknown fields, bad UUIDs, broken JSON) — against the
 * real stack. For each answer: no 5xx, the status is one the document lists for that operation, and
 * the body matches the documented schema (the contract's zod schema, from which the document is
 * generated). Then a refusal phase: hostile writes, in batches, on a quiet system; a batch whose every
 * request was refused must leave the database as it found it.
 *
 * The run uses its own accounts, deputy, unit and suggestion (made through the admin API), so it
 * leaves the demo data other tests use alone. FUZZ_REQUESTS (default 10000) and FUZZ_SEED replay a run.
 *
 * Known findings (KNOWN below) are other helpers' open work (issue 10): they are counted and reported
 * as todo, not hidden; when one is fixed, its entry goes and the test holds the fix.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { ApiSession, apiBase } from '@jianyi/platform/src/testing';
import { XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import { open311Errors } from '../../src/contracts/open311';
import { problemDocument, routes, type RouteContract } from '../../src/contracts/routes';
import { Generator, operationsOf, type JsonSchema, type Operation } from './generate';

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const CONCURRENCY = 12;
const PASSWORD = `Fz-${randomBytes(9).toString('base64url')}-2026`;

interface Sent {
  op: Operation;
  role: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}
interface Finding {
  what: string;
  request: string;
  status: number;
  answer: string;
}

/**
 * Open findings, each reported as todo until fixed. The three of issue 10 (a NUL character, a body over
 * 1 MB, an X-Request-Id over 64 characters: all answered 500) are fixed, so none is left: the test now
 * holds those fixes like any other request.
 */
const KNOWN: { id: string; note: string; matches: (s: Sent, status: number) => boolean }[] = [];

const contractOf = new Map<string, RouteContract>(
  routes.map((r) => [`${r.method.toUpperCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`, r]),
);

let ds: DataSource;
const cookies: Record<string, string> = {};
const pools: Record<string, string[]> = {};
let ops: Operation[] = [];
let gen: Generator;
const findings: Finding[] = [];
const known = new Map<string, number>();
const figures = { requests: 0, byStatus: {} as Record<number, number>, fiveXX: 0, refusalBatches: 0 };

/** The cookie an ApiSession holds (it keeps it private; the fuzzer sends raw requests). */
async function login(username: string): Promise<string> {
  const r = await fetch(`${apiBase()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/**
 * Shared admin data as it was: the fuzz writes it as admin (calendar day overrides, loaded years,
 * congress sessions whose dates or numbers other tests then collide with); afterAll puts it back.
 */
const CALENDAR_TABLES = ['work_calendar_days', 'work_calendar_years', 'congress_sessions'] as const;
const calendarBefore = new Map<string, string>();

beforeAll(async () => {
  ds = await openDataSource();
  for (const t of CALENDAR_TABLES)
    calendarBefore.set(
      t,
      ((await ds.query(`SELECT COALESCE(json_agg(t), '[]')::text AS j FROM ${t} t`)) as { j: string }[])[0]!
        .j,
    );
  const admin = await ApiSession.login('admin');
  const tag = randomBytes(3).toString('hex');
  const deputy = await admin.call('POST', '/api/admin/deputies', {
    name: `模糊测试代表${tag}`,
    town: '测试镇',
  });
  const unit = await admin.call('POST', '/api/admin/units', { code: `FZ${tag}`, name: `模糊测试单位${tag}` });
  expect([deputy.status, unit.status]).toEqual([201, 201]);
  const roles = ['deputy', 'reviewer', 'coordinator', 'unit_handler', 'unit_leader', 'supervisor', 'admin'];
  const userIds: string[] = [];
  for (const role of [...roles, 'throwaway']) {
    const r = await admin.call('POST', '/api/admin/users', {
      username: `fz.${role}.${tag}`,
      password: PASSWORD,
      displayName: `模糊${role}`,
      role: role === 'throwaway' ? 'reviewer' : role,
      deputyId: role === 'deputy' ? deputy.body.id : null,
      unitId: role.startsWith('unit_') ? unit.body.id : null,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    if (role === 'throwaway') userIds.push(r.body.id);
    else cookies[role] = await login(`fz.${role}.${tag}`);
  }
  cookies.anonymous = '';
  // The run's own suggestion, submitted, so routes on an item reach a real one.
  const draft = await fetch(`${apiBase()}/api/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.deputy!, 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({
      title: `模糊测试建议${tag}`,
      content: '用于接口契约模糊测试的建议内容,请勿处理。',
    }),
  }).then((r) => r.json() as Promise<{ id: string }>);
  await fetch(`${apiBase()}/api/suggestions/${draft.id}/submit`, {
    method: 'POST',
    headers: { cookie: cookies.deputy! },
  });

  const day = (n: number) =>
    `2099-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
  Object.assign(pools, {
    id: [draft.id, deputy.body.id, unit.body.id, ...userIds],
    unitId: [unit.body.id],
    unitIds: [unit.body.id],
    leadUnitId: [unit.body.id],
    coUnitIds: [unit.body.id],
    newUnitId: [unit.body.id],
    intoSuggestionId: [draft.id],
    deputyId: [deputy.body.id],
    cosignerDeputyIds: [deputy.body.id],
    day: [day(1), day(2), day(3)],
  });

  const doc = (await fetch(`${apiBase()}/api/openapi.json`).then((r) => r.json())) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  ops = operationsOf(doc);
  gen = new Generator(doc.components.schemas, pools);
}, 300_000);

afterAll(async () => {
  console.log(
    `[fuzz] seed ${SEED}: ${figures.requests} requests over ${ops.length} operations × ${Object.keys(cookies).length} roles; ` +
      `5xx ${figures.fiveXX}; refusal batches checked ${figures.refusalBatches}; statuses ${JSON.stringify(figures.byStatus)}; ` +
      `known findings ${JSON.stringify(Object.fromEntries(known))}`,
  );
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = `${f.what.replace(/\(.*$/, '')} ${f.request.split(' ').slice(1, 3).join(' ').replace(/\?.*$/, '')}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  for (const [k, fs] of groups)
    console.log(
      `[fuzz] finding ×${fs.length}: ${k}\n  e.g. ${fs[0]!.request.slice(0, 400)}\n  → ${fs[0]!.status} ${fs[0]!.answer.slice(0, 300)}`,
    );
  if (ds && calendarBefore.size)
    await ds.transaction(async (m) => {
      for (const t of CALENDAR_TABLES) {
        await m.query(`DELETE FROM ${t}`);
        await m.query(`INSERT INTO ${t} SELECT * FROM json_populate_recordset(NULL::${t}, $1::json)`, [
          calendarBefore.get(t),
        ]);
      }
    });
  await ds?.destroy();
});

/** Writes a calendar seed only for years with no holiday data (refused), so the shared calendar stays as it is. */
const bodyOverrides: Record<string, fc.Arbitrary<unknown>> = {
  'POST /admin/calendar/seed': fc.record({
    fromYear: fc.integer({ min: 2095, max: 2100 }),
    toYear: fc.integer({ min: 2095, max: 2100 }),
  }),
};

/** One generated request: an operation, a role, and valid or hostile parameters and body. */
function requestArb(onlyWrites = false): fc.Arbitrary<Sent> {
  const candidates = onlyWrites ? ops.filter((o) => o.body) : ops;
  return fc
    .tuple(
      fc.constantFrom(...candidates),
      fc.constantFrom(...Object.keys(cookies)),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .chain(([op, role, hostility, rare]) => {
      const hostile = onlyWrites || hostility < 0.5;
      const param = (p: Operation['parameters'][number]) =>
        hostile && rare < 0.5 ? gen.hostile(p.schema, p.name) : gen.valid(p.schema, p.name);
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const headerParams = op.parameters.filter((p) => p.in === 'header');
      const key = `${op.method} ${op.path}`;
      const body = !op.body
        ? fc.constant(undefined)
        : hostile
          ? fc.oneof(
              { weight: 8, arbitrary: gen.hostile(op.body).map((v) => JSON.stringify(v ?? null)) },
              fc.constantFrom('{"title": "unterminated', '[]', '"text"', 'null', '{"a":' + '['.repeat(5000)),
              fc.constant(JSON.stringify({ title: 'x'.repeat(2_200_000) })),
            )
          : (bodyOverrides[key] ?? gen.valid(op.body)).map((v) => JSON.stringify(v));
      return fc
        .record({
          path: fc.tuple(...pathParams.map(param)) as fc.Arbitrary<unknown[]>,
          query: fc.tuple(
            ...queryParams.map((p) => fc.option(param(p), { nil: undefined, freq: 2 })),
          ) as fc.Arbitrary<unknown[]>,
          headers: fc.tuple(...headerParams.map(param)) as fc.Arbitrary<unknown[]>,
          body,
          requestId: fc.option(
            fc.integer({ min: 65, max: 400 }).map((n) => 'r'.repeat(n)),
            { freq: 60 },
          ),
        })
        .map(({ path, query, headers, body, requestId }) => {
          let url = op.path;
          // Node refuses a request head over 16 KB (431) before the app sees it, and an empty segment
          // is another URL: values in the URL are capped and never empty (huge values go in bodies).
          const inUrl = (v: unknown) =>
            (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))
              .slice(0, 300)
              // A lone surrogate cannot be written in a URL at all (the client, not the server, refuses).
              .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
          // A segment "." or ".." is a dot segment the client's URL parser removes (also as %2E): the
          // request would reach another path, so such values are sent with a character appended.
          const segment = (v: string) => (/^\.{1,2}$/.test(v) ? `${v}_` : v);
          pathParams.forEach((p, i) => {
            url = url.replace(`{${p.name}}`, encodeURIComponent(segment(inUrl(path[i]) || ' ')));
          });
          const qs = new URLSearchParams();
          queryParams.forEach((p, i) => {
            const v = query[i];
            if (v === undefined) return;
            if (Array.isArray(v)) v.forEach((x) => qs.append(p.name, inUrl(x)));
            else qs.append(p.name, inUrl(v));
          });
          const h: Record<string, string> = {};
          headerParams.forEach((p, i) => {
            const v = headers[i];
            if (typeof v === 'string' && /^[\t\x20-\x7e]*$/.test(v))
              h[p.name.toLowerCase()] = v.slice(0, 1000);
          });
          // Logging out would end the role's session for the rest of the run: log out sessions nobody holds.
          const cookie = op.path === '/auth/logout' ? '' : cookies[role]!;
          if (cookie) h.cookie = cookie;
          if (body !== undefined) h['content-type'] = 'application/json';
          if (requestId) h['x-request-id'] = requestId;
          return {
            op,
            role,
            method: op.method,
            url: `/api${url}${qs.size ? `?${qs}` : ''}`,
            headers: h,
            body,
          } satisfies Sent;
        });
    });
}

async function send(s: Sent): Promise<{ status: number; text: string; type: string }> {
  // From an address of its own (TEST-NET-2, trusted from loopback as the web proxy's X-Forwarded-For):
  // the sign-ins it fails lock that address only, not the other tests' 127.0.0.1.
  const res = await fetch(apiBase() + s.url, {
    method: s.method,
    headers: { 'x-forwarded-for': '198.51.100.77', ...s.headers },
    body: s.body,
  });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: buf.toString('utf8'), type: res.headers.get('content-type') ?? '' };
}

const describeRequest = (s: Sent) =>
  `${s.role} ${s.method} ${s.url.slice(0, 300)}${s.body ? ` body ${s.body.slice(0, 300)}` : ''}` +
  (s.headers['x-request-id'] ? ` X-Request-Id(${s.headers['x-request-id'].length})` : '');

/** Checks one answer against the document and the contract; records what is wrong. */
function check(s: Sent, r: { status: number; text: string; type: string }): void {
  figures.requests++;
  figures.byStatus[r.status] = (figures.byStatus[r.status] ?? 0) + 1;
  if (r.status >= 500) figures.fiveXX++;
  const knownFinding = KNOWN.find((k) => k.matches(s, r.status));
  if (knownFinding) {
    known.set(knownFinding.id, (known.get(knownFinding.id) ?? 0) + 1);
    return;
  }
  const fail = (what: string): void => {
    findings.push({ what, request: describeRequest(s), status: r.status, answer: r.text.slice(0, 400) });
  };
  if (r.status >= 500) return fail('5xx');
  if (!s.op.statuses.includes(r.status))
    return fail(`status ${r.status} not documented (${s.op.statuses.join(',')})`);
  const contract = contractOf.get(`${s.op.method} ${s.op.path}`);
  if (!contract) return fail('operation has no contract');
  if (contract.errorFormat === 'open311') return checkOpen311(contract, r, fail);
  if (r.status >= 400) {
    if (!r.type.startsWith('application/problem+json')) return fail(`problem with content-type ${r.type}`);
    const p = problemDocument.safeParse(JSON.parse(r.text));
    if (!p.success) return fail(`problem document does not match: ${p.error.message.slice(0, 300)}`);
    if (p.data.status !== r.status) return fail('problem status differs from the HTTP status');
    return;
  }
  const schema = contract.success.schema;
  if (schema === undefined) {
    if (r.text !== '') fail('204 with a body');
    return;
  }
  if (schema === 'svg') {
    if (!r.type.includes('image/svg+xml')) fail(`svg answered as ${r.type}`);
    return;
  }
  if (schema === 'xlsx') {
    if (!r.type.includes('spreadsheetml')) fail(`xlsx answered as ${r.type}`);
    return;
  }
  if (schema === 'pdf') {
    if (r.type !== 'application/pdf') fail(`pdf answered as ${r.type}`);
    return;
  }
  if (schema === 'jpeg') {
    if (r.type !== 'image/jpeg') fail(`jpeg answered as ${r.type}`);
    return;
  }
  if (schema === 'file') {
    // A stored attachment in its own detected type: never JSON or HTML.
    if (!r.type || /json|html/.test(r.type)) fail(`file answered as ${r.type}`);
    return;
  }
  const parsed = schema.safeParse(JSON.parse(r.text));
  if (!parsed.success)
    fail(`answer does not match the documented schema: ${parsed.error.message.slice(0, 400)}`);
}

/** Open311: JSON or XML as the path's extension says; refusals the standard's error list with the status as code. */
function checkOpen311(
  contract: RouteContract,
  r: { status: number; text: string; type: string },
  fail: (w: string) => void,
) {
  if (r.type.startsWith('application/xml')) {
    if (XMLValidator.validate(r.text) !== true) fail('Open311 XML does not parse');
    else if (r.status >= 400 && !r.text.includes(`<code>${r.status}</code>`))
      fail('Open311 XML error without its code');
    return;
  }
  if (!r.type.startsWith('application/json')) return fail(`Open311 answer with content-type ${r.type}`);
  const body: unknown = JSON.parse(r.text);
  if (r.status >= 400) {
    const e = open311Errors.safeParse(body);
    if (!e.success || !e.data.length)
      return fail(`Open311 error list does not match: ${r.text.slice(0, 200)}`);
    if (e.data.some((x) => x.code !== r.status)) fail('Open311 error code differs from the HTTP status');
    return;
  }
  const parsed = (contract.success.schema as z.ZodType).safeParse(body);
  if (!parsed.success)
    fail(`answer does not match the documented schema: ${parsed.error.message.slice(0, 400)}`);
}

async function runAll(requests: Sent[]): Promise<{ status: number }[]> {
  const out: { status: number }[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const i = next++;
        const s = requests[i]!;
        try {
          // A socket the server closed after another request's oversized body fails the next request
          // sent on it: a transport failure is retried once, and only a second one counts.
          const r = await send(s).catch(() => send(s));
          check(s, r);
          out[i] = r;
        } catch (err) {
          figures.requests++;
          findings.push({
            what: `no answer: ${String(err)}`,
            request: describeRequest(s),
            status: 0,
            answer: '',
          });
          out[i] = { status: 0 };
        }
      }
    }),
  );
  return out;
}

/** What a refused write must not change: rows written in the request's transaction, and their content. */
async function fingerprint(): Promise<string> {
  const rows: Record<string, unknown>[] = await ds.query(`SELECT
    (SELECT count(*) FROM outbox) AS outbox,
    (SELECT count(*) FROM audit_log WHERE action NOT LIKE 'auth.%' AND action <> 'access.refused') AS audit,
    (SELECT count(*) FROM idempotency_keys) AS idempotency,
    (SELECT count(*) || ':' || COALESCE(max(updated_at)::text, '') FROM suggestions) AS suggestions,
    (SELECT md5(COALESCE(string_agg(d::text, ',' ORDER BY id), '')) FROM deputies d) AS deputies,
    (SELECT md5(COALESCE(string_agg(u::text, ',' ORDER BY id), '')) FROM units u) AS units,
    (SELECT md5(COALESCE(string_agg(concat_ws('|', id, role, active, display_name, unit_id, deputy_id, email), ',' ORDER BY id), '')) FROM users) AS users,
    (SELECT md5(COALESCE(string_agg(w::text, ',' ORDER BY day), '')) FROM work_calendar_days w) AS calendar,
    (SELECT count(*) FROM policy_choices) AS policy,
    (SELECT md5(COALESCE(string_agg(w::text, ',' ORDER BY unit_id), '')) FROM unit_webhooks w) AS webhooks,
    (SELECT md5(COALESCE(string_agg(p::text, ',' ORDER BY user_id), '')) FROM notification_preferences p) AS preferences,
    (SELECT count(*) FILTER (WHERE read_at IS NOT NULL) FROM notifications) AS read,
    (SELECT count(*) FROM contacts) + (SELECT count(*) FROM replies) + (SELECT count(*) FROM unit_requests) + (SELECT count(*) FROM urges) AS records`);
  return JSON.stringify(rows[0]);
}

/** Waits until background work (workflows, relay, notifier) has settled: two equal fingerprints in a row. */
async function quiet(): Promise<string> {
  let last = await fingerprint();
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await fingerprint();
    if (now === last) return now;
    last = now;
  }
  return last;
}

describe('contract fuzz (generated from /api/openapi.json)', () => {
  it(`answers ${TOTAL} generated requests with documented statuses and schemas, never a 5xx`, async () => {
    const requests = fc.sample(requestArb(), { numRuns: TOTAL, seed: SEED });
    const started = Date.now();
    await runAll(requests);
    console.log(`[fuzz] ${requests.length} requests in ${Math.round((Date.now() - started) / 1000)} s`);
    // Every operation was exercised, by every role.
    const seen = new Set(requests.map((r) => `${r.method} ${r.op.path}`));
    expect(ops.filter((o) => !seen.has(`${o.method} ${o.path}`)).map((o) => `${o.method} ${o.path}`)).toEqual(
      [],
    );
    expect(findings.slice(0, 25)).toEqual([]);
  }, 1_200_000);

  it('changes nothing when it refuses a write', async () => {
    const earlier = findings.length;
    const requests = fc.sample(requestArb(true), { numRuns: 1000, seed: SEED + 1 });
    const changed: string[] = [];
    for (let i = 0; i < requests.length; i += 25) {
      const batch = requests.slice(i, i + 25);
      const before = await quiet();
      const answers = await runAll(batch);
      if (answers.some((a) => a.status < 400)) continue; // something was accepted: not a refusal batch
      figures.refusalBatches++;
      const after = await fingerprint();
      if (after !== before) {
        const settled = await quiet();
        if (settled !== before)
          changed.push(`${batch.map(describeRequest).join('\n  ')}\n  before ${before}\n  after  ${settled}`);
      }
    }
    expect(figures.refusalBatches).toBeGreaterThan(10);
    expect(changed.slice(0, 3)).toEqual([]);
    expect(findings.slice(earlier, earlier + 25)).toEqual([]);
  }, 1_200_000);

  for (const k of KNOWN) it.todo(`known finding: ${k.note}`);
});
