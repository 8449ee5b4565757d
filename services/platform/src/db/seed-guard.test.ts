import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The demo data's accounts share one published password (Demo@2026): loading it on a deployment would
// open every demo account. Both scripts refuse before they connect to anything.
const tsx = path.resolve(__dirname, '../../../../node_modules/.bin/tsx');
describe('demo data is refused outside the dev and test stacks', () => {
  for (const script of ['seed.ts', 'demo-activity.ts'])
    for (const env of ['production', ''])
      it(`${script} with JIANYI_ENV=${env || '(unset)'} exits 2 and says why`, () => {
        const r = spawnSync(tsx, [path.join(__dirname, script)], {
          env: { ...process.env, JIANYI_ENV: env, JIANYI_PG_PORT: '1' }, // an unreachable database
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(r.status).toBe(2);
        expect(r.stderr).toContain('refusing to load demo data outside the dev and test stacks');
        expect(r.stderr).toContain('演示数据只能在开发和测试环境中加载');
      }, 60_000); // starts tsx: slow on a busy machine
});
