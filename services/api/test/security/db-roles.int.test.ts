/**
 * Least privilege in the database (issue 10; ASVS V1.4, V7.3.3): the services connect as an application
 * role that reads and writes rows but cannot rewrite the audit log or change the schema; migrations run
 * as the owner role; the stack's cluster asks every connection for its role's password (infra/stack.sh).
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { config, openDataSource } from '@jianyi/platform';
import { ApiSession } from '@jianyi/platform/src/testing';

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
    // pg_stat_activity shows every session's role and application name (not its queries) to any role.
    const rows: { app: string; user: string }[] = await app.query(
      `SELECT DISTINCT application_name AS app, usename AS "user" FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'jianyi-%'`,
    );
    const apps = new Set(rows.map((r) => r.app));
    for (const service of [
      'jianyi-api',
      'jianyi-worker',
      'jianyi-relay',
      'jianyi-notifier',
      'jianyi-tracker',
    ])
      expect(apps, `${service} connected`).toContain(service);
    expect(rows.filter((r) => r.user !== config.pg.user)).toEqual([]);
  });
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
    const [{ dir }] = await app.query(
      `SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS dir`,
    );
    for (const host of [config.pg.host, dir as string])
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
