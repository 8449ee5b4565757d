/**
 * A unit's group robot (issue 10): the URL an admin saves cannot reach into the deployment's network
 * (SSRF), its token never comes back in responses or the audit log, and its signing secret is stored
 * encrypted. Against the running API of the test stack (a local stack: loopback receivers allowed).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret, openDataSource } from '@jianyi/platform';
import { ApiSession } from '@jianyi/platform/src/testing';

let ds: DataSource;
let admin: ApiSession;
let unitId: string;
beforeAll(async () => {
  ds = await openDataSource();
  admin = await ApiSession.login('admin');
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const u = await admin.call('POST', '/api/admin/units', { code: `W${tag}`, name: `测试机器人局${tag}` });
  expect(u.status).toBe(201);
  unitId = u.body.id;
});
afterAll(async () => {
  if (ds?.isInitialized) {
    await ds.query(`DELETE FROM unit_webhooks WHERE unit_id = $1`, [unitId]);
    await ds.query(`DELETE FROM units WHERE id = $1`, [unitId]);
    await ds.destroy();
  }
});

describe("a unit's robot URL and secret", () => {
  it('refuses link-local (cloud metadata), unspecified and unresolvable hosts with 422 naming url', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/iam/',
      'http://0.0.0.0:8080/',
      'http://[fe80::1]/hook',
      'https://robot.invalid/send',
    ]) {
      const r = await admin.call('PUT', `/api/units/${unitId}/webhook`, {
        url,
        secret: 'robot-secret-0123456789',
        active: false,
      });
      expect(r.status, url).toBe(422);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
      expect(r.body.errors[0].message).toMatch(/^机器人地址:/);
    }
    expect(await ds.query(`SELECT 1 FROM unit_webhooks WHERE unit_id = $1`, [unitId])).toEqual([]);
  });

  it('stores the secret encrypted and never shows the token in the URL, in answers or the audit log', async () => {
    const url = 'http://127.0.0.1:9/robot/send?access_token=tok_4f9a8b7c6d5e';
    const r = await admin.call('PUT', `/api/units/${unitId}/webhook`, {
      url,
      secret: 'robot-secret-0123456789',
      active: false,
    });
    expect(r.status).toBe(200);
    expect(r.body.url).toBe('http://127.0.0.1:9/robot/send?access_token=tok_****');
    expect(JSON.stringify(r.body)).not.toContain('robot-secret');
    expect((await admin.call('GET', `/api/units/${unitId}/webhook`)).body.url).toBe(r.body.url);

    const [row] = await ds.query(`SELECT url, secret FROM unit_webhooks WHERE unit_id = $1`, [unitId]);
    expect(row.url).toBe(url); // the notifier needs the real one
    expect(row.secret).toMatch(/^enc:v1:/);
    expect(row.secret).not.toContain('robot-secret');
    expect(decryptSecret(row.secret)).toBe('robot-secret-0123456789');

    const audits = await ds.query(
      `SELECT after::text AS after FROM audit_log WHERE action = 'unit.webhook.set' AND entity_id = $1`,
      [unitId],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0].after).not.toContain('4f9a8b7c6d5e');
    expect(audits[0].after).not.toContain('robot-secret');
  });
});
