import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A deployment (JIANYI_ENV neither dev nor test) must give its settings: a service started without one
// stops at once, naming the variable, before it connects to anything (rather than answering 500 later,
// e.g. when a unit's robot is saved without JIANYI_SECRET_KEY).
const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const unreachable = 'postgres://jianyi_app:x@127.0.0.1:1/jianyi';

/** Starts a service's entry point and waits for it to exit (asynchronously: the test worker stays responsive). */
function start(
  entry: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('JIANYI_')),
  ) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [path.join(root, entry)], {
      env: { ...clean, JIANYI_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('a service refuses to start without the settings a deployment must give', () => {
  for (const [service, entry] of [
    ['api', 'services/api/src/main.ts'],
    ['notifier', 'services/notifier/src/main.ts'],
  ] as const)
    it(`${service} without JIANYI_SECRET_KEY exits 2 naming it`, async () => {
      const r = await start(entry, { JIANYI_DATABASE_URL: unreachable });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${service}: refusing to start`);
      expect(r.stderr).toContain('JIANYI_SECRET_KEY');
      expect(r.stderr).not.toContain('JIANYI_DATABASE_URL');
    }, 60_000); // starts tsx: slow on a busy machine

  it('api with a key that is not 32 bytes, and without its database URL, names both', async () => {
    const r = await start('services/api/src/main.ts', { JIANYI_SECRET_KEY: 'c2hvcnQ=' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('JIANYI_DATABASE_URL');
    expect(r.stderr).toContain('JIANYI_SECRET_KEY (32 bytes in base64)');
  }, 60_000);

  it('relay without its database URL exits 2 naming it; with every setting it goes on to connect', async () => {
    const r = await start('services/relay/src/main.ts', {});
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('relay: refusing to start');
    expect(r.stderr).toContain('JIANYI_DATABASE_URL');
    const ok = await start('services/api/src/main.ts', {
      JIANYI_DATABASE_URL: unreachable,
      JIANYI_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    expect(ok.stderr + ok.stdout).not.toContain('refusing to start');
    expect(ok.status).toBe(1); // the unreachable database, not the settings
  }, 120_000);

  it('a wrong value stops the service naming the variable, on every stack', async () => {
    const r = await start('services/relay/src/main.ts', {
      JIANYI_ENV: 'test',
      JIANYI_KAFKA_REPLICATION_FACTOR: 'three',
      JIANYI_KAFKA_BROKERS: 'kafka-1:9092;kafka-2',
      JIANYI_TEMPORAL_TLS_CERT: '/nonexistent/client.pem',
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('relay: refusing to start');
    expect(r.stderr).toContain('JIANYI_KAFKA_REPLICATION_FACTOR: must be an integer');
    expect(r.stderr).toContain('JIANYI_KAFKA_BROKERS: must be a comma-separated list of host:port');
    expect(r.stderr).toContain('JIANYI_TEMPORAL_TLS_CERT: cannot read /nonexistent/client.pem');
  }, 60_000);
});
