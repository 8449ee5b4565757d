import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, openDataSource } from '../src';
import { migrations } from '../src/db/migrations';

// A throwaway database in the test cluster, so this test sees an empty schema; the owner role
// (which runs migrations) may create databases.
const dbName = `jianyi_migcheck_${randomBytes(4).toString('hex')}`;
const admin = () => new Client({ ...config.pgOwner, database: 'postgres' });

describe('migrations', () => {
  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.end();
  });
  afterAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  });

  it('run on an empty database, after which generating a migration yields nothing', async () => {
    const ds = await openDataSource({ database: dbName }, 'owner');
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      expect(ran.length).toBeGreaterThan(0);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('can be reverted to nothing and applied again', async () => {
    const ds = await openDataSource({ database: dbName }, 'owner');
    try {
      while ((await ds.query(`SELECT count(*)::int AS n FROM typeorm_migrations`))[0].n > 0)
        await ds.undoLastMigration();
      const tables: { n: number }[] = await ds.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`,
      );
      expect(tables[0]!.n).toBe(0);
      // 'each': a migration that builds its indexes CONCURRENTLY (QueryIndexes) runs outside a transaction.
      await ds.runMigrations({ transaction: 'each' });
      expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});

describe('migration list', () => {
  it('names every migration file in the folder, in order', async () => {
    const files = readdirSync(`${__dirname}/../src/db/migrations`)
      .filter((f) => /^\d+-\w+\.ts$/.test(f))
      .sort();
    expect(migrations.map((m) => m.name)).toEqual(files.map((f) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1')));
  });
});
