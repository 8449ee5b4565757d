import { requireSettings } from '../config';
import { openDataSource } from './data-source';

// Migrations run as the role that owns the schema (JIANYI_MIGRATION_DATABASE_URL), never as the services' role.
async function main() {
  requireSettings('migrate', { migration: true });
  const ds = await openDataSource({}, 'owner');
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    console.log(ran.length ? `applied ${ran.map((m) => m.name).join(', ')}` : 'schema up to date');
  } finally {
    await ds.destroy();
  }
}
main().catch((err) => {
  console.error('migration failed:', err);
  process.exit(1);
});
