/**
 * Least privilege in the database (issue 10; ASVS V1.4, V7.3.3): the services connect as an application
 * role that reads and writes rows but cannot rewrite the audit log or change the schema; migrations run
 * as the owner role; the stack's cluster asks every connection for its role's password (infra/stack.sh).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { config, openDataSource } from '@jianyi/platform';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let app: DataSource;
beforeAll(async () => {
  app = await openDataSource(); // as the services connect
});
afterAll(async () => {
  await app?.destroy();
});

/** The error PostgreSQL answers with, or null when the statement ran (inside a transaction rolled back). */
async function refusal(sql: string): Promise<string | null> {
  const qr = app.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  try {
    await qr.query(sql);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await qr.rollbackTransaction().catch(() => undefined);
    await qr.release();
  }
}

describe('the application role', () => {
  it('is the services’ role, not the owner and not a superuser', async () => {
    const [me] = await app.query(
      `SELECT current_user AS "user", r.rolsuper AS super, r.rolcreatedb AS createdb, r.rolcreaterole AS createrole,
              (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'audit_log'::regclass) AS "auditOwner"
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(me).toMatchObject({ user: config.pg.user, super: false, createdb: false, createrole: false });
    expect(me.auditOwner).toBe(config.pgOwner.user);
    expect(config.pg.user).not.toBe(config.pgOwner.user);
  });

  it('may add to the audit log and read it, but never change or remove a row', async () => {
    // A sign-in through the API leaves its audit row (the API connects as this role).
    await ApiSession.login('admin');
    const [{ n }] = await app.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(n).toBeGreaterThan(0);
    expect(
      await refusal(
        `INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('test.db_roles', 'test', 'x')`,
      ),
    ).toBeNull();
    for (const sql of [
      `UPDATE audit_log SET action = 'tampered'`,
      `DELETE FROM audit_log`,
      `TRUNCATE audit_log`,
    ])
      expect(await refusal(sql), sql).toMatch(/permission denied for table audit_log/);
    const [{ after }] = await app.query(`SELECT count(*)::int AS after FROM audit_log`);
    expect(after).toBeGreaterThanOrEqual(n);
  });

  it('may read and write the other tables’ rows', async () => {
    expect(await refusal(`UPDATE suggestions SET updated_at = updated_at WHERE false`)).toBeNull();
    expect(await refusal(`DELETE FROM sessions WHERE false`)).toBeNull();
  });

  it('cannot drop, alter or create tables, nor truncate one', async () => {
    expect(await refusal(`DROP TABLE suggestions`)).toMatch(/must be owner of table suggestions/);
    expect(await refusal(`ALTER TABLE users ADD COLUMN x int`)).toMatch(/must be owner of table users/);
    expect(await refusal(`ALTER TABLE audit_log DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
    expect(await refusal(`CREATE TABLE stolen (x text)`)).toMatch(/permission denied for schema public/);
    expect(await refusal(`TRUNCATE outbox`)).toMatch(/permission denied for table outbox/);
    expect(await refusal(`SET session_replication_role = replica`)).toMatch(/permission denied/);
  });

  it('is what every service connects as', async () => {
    // A submission makes every service touch the database (api, the worker's activities, the relay,
    // the tracker and the notifier on its event); idle pool connections close after a while, so look
    // while they are busy. pg_stat_activity shows any role every session's role and application name.
    const wang = await ApiSession.login('wangjianguo');
    const services = ['jianyi-api', 'jianyi-worker', 'jianyi-relay', 'jianyi-notifier', 'jianyi-tracker'];
    const seen = new Map<string, Set<string>>();
    await waitFor(
      'every service connected',
      async () => {
        const draft = await wang.call(
          'POST',
          '/api/suggestions',
          {
            title: `关于数据库权限测试的建议 ${randomUUID().slice(0, 6)}`,
            content: '用于确认各服务的数据库角色。',
          },
          { 'Idempotency-Key': randomUUID() },
        );
        await wang.call('POST', `/api/suggestions/${draft.body.id}/submit`);
        const rows: { app: string; user: string }[] = await app.query(
          `SELECT DISTINCT application_name AS app, usename AS "user" FROM pg_stat_activity
           WHERE datname = current_database() AND application_name LIKE 'jianyi-%'`,
        );
        for (const r of rows) seen.set(r.app, (seen.get(r.app) ?? new Set()).add(r.user));
        return services.every((s) => seen.has(s));
      },
      60_000,
    );
    for (const [name, users] of seen) expect([name, [...users]]).toEqual([name, [config.pg.user]]);
  }, 90_000);
});

describe('password authentication on the stack’s cluster', () => {
  const attempt = async (settings: Record<string, unknown>) => {
    const c = new Client({ ...config.pg, ...settings, connectionTimeoutMillis: 10_000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return 'connected';
    } catch (err) {
      return (err as Error).message;
    } finally {
      await c.end().catch(() => undefined);
    }
  };

  it('refuses a connection without a password or with a wrong one, over TCP and on the socket', async () => {
    // The socket is in the cluster's data folder: the credentials file sits beside it (linked from the
    // stack's data folder when the cluster lives in /var/tmp).
    const creds = path.join(config.dataDir, 'postgres.credentials');
    const socketDir = lstatSync(creds).isSymbolicLink()
      ? realpathSync(creds).replace(/\.credentials$/, '')
      : path.join(config.dataDir, 'postgres');
    expect(existsSync(path.join(socketDir, `.s.PGSQL.${config.pg.port}`))).toBe(true);
    for (const host of [config.pg.host, socketDir])
      for (const user of [config.pg.user, config.pgOwner.user, 'postgres']) {
        // No password: the server asks for one (SCRAM), which the client cannot give.
        expect(await attempt({ host, user, password: undefined }), `${user}@${host} without`).toMatch(
          /SASL|password/,
        );
        expect(await attempt({ host, user, password: 'wrong' }), `${user}@${host} wrong`).toMatch(
          /password authentication failed/,
        );
      }
    expect(await attempt({})).toBe('connected');
  });
});
