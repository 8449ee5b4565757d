import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { config } from '../config';
import { entities } from './entities';
import { migrations } from './migrations';

export function dataSourceOptions(overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    host: config.pg.host,
    port: config.pg.port,
    username: config.pg.user,
    password: config.pg.password,
    database: config.pg.database,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    // The schema comes from migration files only.
    synchronize: false,
    logging: ['error'],
    extra: { max: 20, application_name: config.appName },
    ...overrides,
  } as DataSourceOptions;
}

export async function openDataSource(overrides: Partial<DataSourceOptions> = {}): Promise<DataSource> {
  return new DataSource(dataSourceOptions(overrides)).initialize();
}

/** Used by the TypeORM CLI (migration:generate). */
export default new DataSource(dataSourceOptions());
