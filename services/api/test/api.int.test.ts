import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// Runs against the API process of the test stack (./dev test), which talks to real PostgreSQL and Temporal.
let ds: DataSource;
beforeAll(async () => {
  ds = await openDataSource();
});
afterAll(async () => {
  await ds?.destroy();
});

const draft = {
  title: '关于改善背街小巷照明的建议',
  content: '部分背街小巷路灯损坏多年未修,夜间出行不便,建议排查修复。',
};

describe('authentication', () => {
  it('refuses a wrong password with a problem document and hashes passwords with argon2id', async () => {
    const s = new ApiSession();
    const r = await s.call('POST', '/api/auth/login', { username: 'wangjianguo', password: 'wrong' });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 401, title: '用户名或密码错误' });
    const rows: { password_hash: string }[] = await ds.query(
      `SELECT password_hash FROM users WHERE username = 'wangjianguo'`,
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });
  it('requires a session for every endpoint but login, health and the OpenAPI document', async () => {
    const s = new ApiSession();
    expect((await s.call('GET', '/api/suggestions')).status).toBe(401);
    expect((await s.call('GET', '/api/me')).status).toBe(401);
    expect((await s.call('GET', '/api/openapi.json')).body.openapi).toBe('3.1.0');
  });
});

describe('suggestions', () => {
  it('names each bad field in Chinese and English', async () => {
    const s = await ApiSession.login('wangjianguo');
    const r = await s.call(
      'POST',
      '/api/suggestions',
      { title: '', content: '短' },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['content', 'title']);
    expect(r.body.errors.find((e: { field: string }) => e.field === 'title').message).toBe('标题:不能为空');
    expect(r.body.errors.every((e: { messageEn: string }) => e.messageEn.length > 0)).toBe(true);
  });

  it('creates once per Idempotency-Key, however often the request is retried', async () => {
    const s = await ApiSession.login('wangjianguo');
    const key = randomUUID();
    const results = await Promise.all(
      [1, 2, 3].map(() => s.call('POST', '/api/suggestions', draft, { 'Idempotency-Key': key })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const rows: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM suggestions WHERE id = $1`, [
      [...ids][0],
    ]);
    expect(rows[0]!.n).toBe(1);
    expect((await s.call('POST', '/api/suggestions', draft)).status).toBe(422); // key missing
  });

  it('lets a deputy see only their own suggestions and refuses drafting to other roles', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const li = await ApiSession.login('lixiuying');
    const created = await wang.call('POST', '/api/suggestions', draft, { 'Idempotency-Key': randomUUID() });
    expect((await li.call('GET', `/api/suggestions/${created.body.id}`)).status).toBe(404);
    const liList = await li.call('GET', '/api/suggestions?pageSize=200');
    expect(liList.body.items.some((i: { id: string }) => i.id === created.body.id)).toBe(false);
    expect((await li.call('POST', `/api/suggestions/${created.body.id}/submit`)).status).toBe(404);
    const unit = await ApiSession.login('jtj.handler');
    expect(
      (await unit.call('POST', '/api/suggestions', draft, { 'Idempotency-Key': randomUUID() })).status,
    ).toBe(403);
  });

  it('submits through the workflow; the reviewer decides; wrong role is 403, wrong state 409', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const reviewer = await ApiSession.login('reviewer');
    const { body } = await wang.call('POST', '/api/suggestions', draft, { 'Idempotency-Key': randomUUID() });
    expect((await wang.call('POST', `/api/suggestions/${body.id}/submit`)).status).toBe(202);
    expect((await wang.call('POST', `/api/suggestions/${body.id}/submit`)).status).toBe(202); // retry is harmless
    await waitFor(
      'submitted',
      async () => (await wang.call('GET', `/api/suggestions/${body.id}`)).body.status === 'submitted',
    );
    const wrongRole = await wang.call('POST', `/api/suggestions/${body.id}/review`, { decision: 'accept' });
    expect(wrongRole.status).toBe(403);
    const bad = await reviewer.call('POST', `/api/suggestions/${body.id}/review`, { decision: 'return' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('comments');
    const ret = await reviewer.call('POST', `/api/suggestions/${body.id}/review`, {
      decision: 'return',
      comments: '请补充具体路段',
    });
    expect(ret.body.status).toBe('returned');
    expect(
      (await reviewer.call('POST', `/api/suggestions/${body.id}/review`, { decision: 'accept' })).status,
    ).toBe(409);
    expect((await wang.call('POST', `/api/suggestions/${body.id}/resubmit`)).body.status).toBe('submitted');
    const acc = await reviewer.call('POST', `/api/suggestions/${body.id}/review`, { decision: 'accept' });
    expect(acc.body.registrationNo).toMatch(/第\d{4}号/);
    const audit: { action: string }[] = await ds.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action <> 'access.refused' ORDER BY id`,
      [body.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'suggestion.draft_created',
      'suggestion.submitted',
      'suggestion.returned',
      'suggestion.submitted',
      'suggestion.accepted',
    ]);
  });
});
