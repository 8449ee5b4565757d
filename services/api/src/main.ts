import {
  closeHttpServer,
  config,
  connectTemporal,
  createLogger,
  ensureCalendarSeeded,
  onShutdown,
  openDataSource,
  requireSettings,
  startOps,
} from '@jianyi/platform';
import { createApp } from './app';
import { startSearchIndexer } from './search-indexer';
import { assertPrintFonts } from './print/documents';

const log = createLogger('api');

async function main() {
  // A deployment without its database URL or secret key, or with a wrong value, stops here naming the
  // variable, rather than answering 500 when a unit's robot is saved.
  requireSettings('api', { secretKey: true });
  // The printed documents need their CJK fonts: stop now, naming the setting, rather than at the first print.
  assertPrintFonts();
  const ds = await openDataSource();
  // One calendar source for every process: the table, seeded from chinese-days when empty.
  const seeded = await ensureCalendarSeeded(ds);
  if (seeded.length) log.warn({ years: seeded }, 'calendar table was empty: seeded from chinese-days');
  const temporal = await connectTemporal();
  let server: ReturnType<ReturnType<typeof createApp>['listen']> | null = null;
  const ops = startOps('api', log, {
    http: () => {
      if (!server?.listening) throw new Error('not listening yet');
    },
    database: () => ds.query('SELECT 1'),
    temporal: () => temporal.workflowService.getSystemInfo({}),
  });
  const stopIndexer = await startSearchIndexer(ds, log);
  server = createApp({ ds, temporal, log, ops }).listen(config.api.port, config.httpHost, () =>
    log.info({ host: config.httpHost, port: config.api.port }, 'api listening'),
  );
  // Fold the statistics' pending changes (stats_delta) into the aggregate (stats_cube). Readers add
  // the pending rows themselves, so this only keeps them few; several APIs may run it at once
  // (each change is folded by whichever deletes it first).
  const compact = setInterval(() => {
    ds.query(`SELECT stats_compact()`).catch((err: unknown) => log.warn({ err }, 'stats compaction failed'));
  }, config.api.statsCompactMs);
  compact.unref();
  // SIGTERM: /readyz turns 503, no new connections, in-flight requests finish, then the rest closes.
  onShutdown(ops, log, [
    ['stop compaction', () => clearInterval(compact)],
    ['finish in-flight requests', () => closeHttpServer(server!)],
    ['stop search indexer', () => stopIndexer()],
    ['close temporal connection', () => temporal.connection.close()],
    ['close database', () => ds.destroy()],
  ]);
}
main().catch((err) => {
  log.error(err, 'api failed to start');
  process.exit(1);
});
