import { openDataSource } from './data-source';

async function main() {
  const ds = await openDataSource();
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
