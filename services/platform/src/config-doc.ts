/** Writes docs/configuration.md from the declarations in config.ts (`pnpm config:doc`). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configurationReference } from './config';

const file = path.resolve(__dirname, '../../../docs/configuration.md');
writeFileSync(file, configurationReference());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
