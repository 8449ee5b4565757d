/** The compiled worker's entry (infra/build.ts → dist/worker.js): runs the worker. */
import { createLogger } from '@jianyi/platform';
import { runWorker } from './worker';

runWorker().catch((err) => {
  createLogger('worker').error(err, 'worker failed');
  process.exit(1);
});
