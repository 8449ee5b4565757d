/** The compiled setup's entry (infra/build.ts → dist/setup.js). */
import { setupCli } from './setup';

setupCli();
