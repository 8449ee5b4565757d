import {
  config,
  connectTemporal,
  createLogger,
  ensureCalendarSeeded,
  openDataSource,
  requireSettings,
} from '@jianyi/platform';
import { createApp } from './app';
import { startSearchIndexer } from './search-indexer';
import { assertPrintFonts } from './print/documents';

const log = createLogger('api');

async function main() {
  // A deployment without its database URL or secret key stops here, naming the variable, rather than
  // answering 500 when a unit's robot is saved.
  requireSettings('api', { secretKey: true });
  // The printed documents need their CJK fonts: stop now, naming the setting, rather than at the first print.
  assertPrintFonts();
  const ds = await openDataSource();
  // One calendar source for every process: the table, seeded from chinese-days when empty.
  const seeded = await ensureCalendarSeeded(ds);
  if (seeded.length) log.warn({ years: seeded }, 'calendar table was empty: seeded from chinese-days');
  const temporal = await connectTemporal();
  const stopIndexer = await startSearchIndexer(ds, log);
  const server = createApp({ ds, temporal, log }).listen(config.api.port, '127.0.0.1', () =>
    log.info({ port: config.api.port }, 'api listening'),
  );
  // Fold the statistics' pending changes (stats_delta) into the aggregate (stats_cube). Readers add
  // the pending rows themselves, so this only keeps them few; several APIs may run it at once
  // (each change is folded by whichever deletes it first).
  const compact = setInterval(() => {
    ds.query(`SELECT stats_compact()`).catch((err: unknown) => log.warn({ err }, 'stats compaction failed'));
  }, config.api.statsCompactMs);
  compact.unref();
  const stop = () => {
    clearInterval(compact);
    server.close();
    void stopIndexer()
      .then(() => ds.destroy())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((err) => {
  log.error(err, 'api failed to start');
  process.exit(1);
});
