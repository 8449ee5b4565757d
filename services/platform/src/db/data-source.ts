import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { config } from '../config';
import { entities } from './entities';
import { migrations } from './migrations';

/**
 * `app`: the services' application role (rows only, `audit_log` insert-only); `owner`: the role that owns
 * the schema, for migrations and for tests and scripts that reset data or run maintenance functions.
 */
export type DbRole = 'app' | 'owner';

export function dataSourceOptions(
  overrides: Partial<DataSourceOptions> = {},
  role: DbRole = 'app',
): DataSourceOptions {
  const pg = role === 'owner' ? config.pgOwner : config.pg;
  return {
    type: 'postgres',
    host: pg.host,
    port: pg.port,
    username: pg.user,
    password: pg.password,
    database: pg.database,
    ssl: pg.ssl,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    // The schema comes from migration files only.
    synchronize: false,
    logging: ['error'],
    // jit=off: PostgreSQL's JIT compiles any statement the planner costs above jit_above_cost, which at a
    // million items includes the lists' short index walks; compiling took 100–150 ms of a 5 ms query
    // (bench/queries.bench.ts). An OLTP service gains nothing from it.
    extra: { max: config.pgPool.api, application_name: config.appName, options: '-c jit=off' },
    ...overrides,
  } as DataSourceOptions;
}

export async function openDataSource(
  overrides: Partial<DataSourceOptions> = {},
  role: DbRole = 'app',
): Promise<DataSource> {
  return new DataSource(dataSourceOptions(overrides, role)).initialize();
}

/** Used by the TypeORM CLI (migration:generate), as the owner. */
export default new DataSource(dataSourceOptions({}, 'owner'));
