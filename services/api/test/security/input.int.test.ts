/**
 * Security: every input gets a 4xx problem document, never a 5xx, and a refused request changes
 * nothing. Against the running API, the web app's proxy and the tracker of the test stack.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '@jianyi/platform';
import { ApiSession, apiBase, webBase, waitFor } from '@jianyi/platform/src/testing';
import { AuthzWorld, JTJ, contactBody } from '../authz-support';

let world: AuthzWorld;
beforeAll(async () => {
  world = await AuthzWorld.open();
});
afterAll(async () => {
  await world?.close();
});

const trackerBase = () => `http://127.0.0.1:${config.tracker.port}`;

function expectProblem(r: { status: number; body: any; headers: Headers }, status: number, field?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  if (field) expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('a body over the limit', () => {
  const big = JSON.stringify({ title: 'x', content: 'y'.repeat(2 * 1024 * 1024) });

  it('is refused by the API with 413 and a problem document; nothing is created', async () => {
    const before = await world.ds.query(`SELECT count(*)::int AS n FROM suggestions`);
    const r = await world.as.leadDeputy.call('POST', '/api/suggestions', JSON.parse(big), {
      'Idempotency-Key': randomUUID(),
    });
    expectProblem(r, 413, '(body)');
    const after = await world.ds.query(`SELECT count(*)::int AS n FROM suggestions`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('is refused by the web proxy with 413 and a problem document (not 502)', async () => {
    const web = new ApiSession(webBase());
    const r = await web.call('POST', '/api/auth/login', JSON.parse(big));
    expectProblem(r, 413, '(body)');
  });
});

describe('X-Request-Id', () => {
  it('over 64 characters or with odd characters is replaced by a generated one, never a 500', async () => {
    for (const given of ['r'.repeat(65), 'a'.repeat(5000), '<script>alert(1)</script>', 'id with spaces']) {
      const r = await world.as.leadDeputy.call(
        'POST',
        '/api/suggestions',
        { title: `请求编号测试 ${world.tag}`, content: '测试请求编号的长度和字符。' },
        { 'Idempotency-Key': randomUUID(), 'X-Request-Id': given },
      );
      expect(r.status).toBe(201);
      const id = r.headers.get('x-request-id');
      expect(id).not.toBe(given);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const [row] = await world.ds.query(
        `SELECT request_id AS "requestId" FROM audit_log WHERE entity_id = $1 AND action = 'suggestion.draft_created'`,
        [r.body.id],
      );
      expect(row.requestId).toBe(id);
    }
  });

  it('a plain one up to 64 characters is kept', async () => {
    const given = `req-${'a'.repeat(60)}`;
    const r = await world.as.leadDeputy.call('GET', '/api/me', undefined, { 'X-Request-Id': given });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toBe(given);
  });
});

describe('a NUL character (\\u0000) in any text', () => {
  it("in a deputy's name (POST /api/admin/deputies): 422 naming the field; nothing is created", async () => {
    const name = `测试\u0000代表${world.tag}`;
    const r = await world.as.admin.call('POST', '/api/admin/deputies', { name, town: '测试镇' });
    expectProblem(r, 422, 'name');
    expect(r.body.errors[0].message).toContain('空字符');
    const rows = await world.ds.query(`SELECT 1 FROM deputies WHERE name LIKE $1`, [`%${world.tag}`]);
    expect(rows).toEqual([]);
  });

  it("in a robot's secret (PUT /api/units/:id/webhook): 422 naming the field; the robot is unchanged", async () => {
    const before = await world.ds.query(`SELECT url, secret, active FROM unit_webhooks WHERE unit_id = $1`, [
      JTJ,
    ]);
    const r = await world.as.admin.call('PUT', `/api/units/${JTJ}/webhook`, {
      url: 'https://robot.example.test/send',
      secret: `0123456789abcdef\u0000${world.tag}`,
    });
    expectProblem(r, 422, 'secret');
    const after = await world.ds.query(`SELECT url, secret, active FROM unit_webhooks WHERE unit_id = $1`, [
      JTJ,
    ]);
    expect(after).toEqual(before);
  });

  it('in nested fields, in a draft, and in a query string: 422 naming each field', async () => {
    const r = await world.as.leadDeputy.call(
      'POST',
      '/api/suggestions',
      { title: '标题\u0000', content: '内容\u0000内容内容内容', cosignerDeputyIds: ['\u0000'] },
      { 'Idempotency-Key': randomUUID() },
    );
    expectProblem(r, 422);
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'content',
      'cosignerDeputyIds.0',
      'title',
    ]);
    const q = await world.as.reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent('停车\u0000')}`);
    expectProblem(q, 422, 'q');
    const pub = await new ApiSession().call('GET', `/api/public/replies?q=%00`);
    expectProblem(pub, 422, 'q');
  });
});

describe('Idempotency-Key', () => {
  it('the same key with the same body replays the first answer; with a different body: 422, nothing created', async () => {
    const key = randomUUID();
    const body = { title: `幂等测试 ${world.tag}`, content: '同一个幂等键只创建一次建议。' };
    const first = await world.as.leadDeputy.call('POST', '/api/suggestions', body, {
      'Idempotency-Key': key,
    });
    expect(first.status).toBe(201);
    const again = await world.as.leadDeputy.call(
      'POST',
      '/api/suggestions',
      { content: body.content, title: body.title },
      {
        'Idempotency-Key': key,
      },
    );
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await world.as.leadDeputy.call(
      'POST',
      '/api/suggestions',
      { ...body, title: `另一条建议 ${world.tag}` },
      { 'Idempotency-Key': key },
    );
    expectProblem(other, 422, 'Idempotency-Key');
    const rows = await world.ds.query(`SELECT id FROM suggestions WHERE title = $1`, [
      `另一条建议 ${world.tag}`,
    ]);
    expect(rows).toEqual([]);
  });
});

describe('workflow refusals name the field', () => {
  it('a B reply without its promised date: 409 with errors[] naming promisedDate; a C reply without explanation names explanation', async () => {
    const it = await world.signedIn();
    expect((await world.unitStep(world.as.unitHandler, it, 'contacts', contactBody)).status).toBe(200);
    const b = await world.unitStep(world.as.unitHandler, it, 'reply', {
      category: 'B',
      body: '已列入明年计划,将结合道路改造一并实施。',
    });
    expectProblem(b, 409, 'promisedDate');
    expect(b.body.errors[0]).toMatchObject({
      message: expect.stringContaining('承诺解决时间'),
      messageEn: expect.any(String),
    });
    const c = await world.unitStep(world.as.unitHandler, it, 'reply', {
      category: 'C',
      body: '受用地条件限制,暂时无法解决,将持续跟踪。',
    });
    expectProblem(c, 409, 'explanation');
  });
});

describe('errors never leak internals', () => {
  it('a malformed session cookie (jianyi_sid=%) at the tracker: 401 problem document, no stack trace', async () => {
    for (const base of [trackerBase(), webBase()]) {
      const res = await fetch(`${base}/events`, { headers: { cookie: `${config.cookieName}=%` } });
      const text = await res.text();
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(text).not.toMatch(/URIError|at .*\.(ts|js):\d+/);
    }
    const api = await fetch(`${apiBase()}/api/me`, { headers: { cookie: `${config.cookieName}=%` } });
    expect(api.status).toBe(401);
  });

  it("the web proxy's 502 does not name the upstream", async () => {
    const env = { ...process.env };
    execFileSync('bash', ['infra/services.sh', 'stop', 'tracker'], { env, stdio: 'ignore' });
    try {
      const res = await fetch(`${webBase()}/events`);
      const text = await res.text();
      expect(res.status).toBe(502);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain(String(config.tracker.port));
      expect(JSON.parse(text)).toMatchObject({ status: 502, title: '服务暂时不可用' });
    } finally {
      execFileSync('bash', ['infra/services.sh', 'start', 'tracker'], { env, stdio: 'ignore' });
    }
    await waitFor('the tracker back', async () => (await fetch(`${trackerBase()}/health`)).ok);
  });
});
