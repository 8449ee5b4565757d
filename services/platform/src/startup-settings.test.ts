import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A deployment (JIANYI_ENV neither dev nor test) must give its settings: a service started without one
// stops at once, naming the variable, before it connects to anything (rather than answering 500 later,
// e.g. when a unit's robot is saved without JIANYI_SECRET_KEY).
const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const unreachable = 'postgres://jianyi_app:x@127.0.0.1:1/jianyi';

function start(entry: string, env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('JIANYI_')),
  ) as Record<string, string>;
  return spawnSync(tsx, [path.join(root, entry)], {
    env: { ...clean, JIANYI_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('a service refuses to start without the settings a deployment must give', () => {
  for (const [service, entry] of [
    ['api', 'services/api/src/main.ts'],
    ['notifier', 'services/notifier/src/main.ts'],
  ] as const)
    it(`${service} without JIANYI_SECRET_KEY exits 2 naming it`, () => {
      const r = start(entry, { JIANYI_DATABASE_URL: unreachable });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${service}: refusing to start`);
      expect(r.stderr).toContain('JIANYI_SECRET_KEY');
      expect(r.stderr).not.toContain('JIANYI_DATABASE_URL');
    }, 60_000); // starts tsx: slow on a busy machine

  it('api with a key that is not 32 bytes, and without its database URL, names both', () => {
    const r = start('services/api/src/main.ts', { JIANYI_SECRET_KEY: 'c2hvcnQ=' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('JIANYI_DATABASE_URL');
    expect(r.stderr).toContain('JIANYI_SECRET_KEY (32 bytes in base64)');
  }, 60_000);

  it('relay without its database URL exits 2 naming it; with every setting it goes on to connect', () => {
    const r = start('services/relay/src/main.ts', {});
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('relay: refusing to start');
    expect(r.stderr).toContain('JIANYI_DATABASE_URL');
    const ok = start('services/api/src/main.ts', {
      JIANYI_DATABASE_URL: unreachable,
      JIANYI_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    expect(ok.stderr + ok.stdout).not.toContain('refusing to start');
    expect(ok.status).toBe(1); // the unreachable database, not the settings
  }, 120_000);
});
