/**
 * TLS towards the backends, tested against real servers on loopback (started here, stopped after):
 *   - PostgreSQL 15 with ssl=on and a certificate from a CA made here, hostssl only: the services'
 *     data source (JIANYI_DATABASE_URL, JIANYI_PG_SSL=verify-full, JIANYI_PG_SSL_CA) connects over
 *     TLS (pg_stat_ssl says so) and refuses a server whose certificate another CA signed;
 *   - one Kafka 3.9 broker (KRaft) with a SASL_SSL listener and a SCRAM-SHA-512 user: the project's
 *     Kafka client (JIANYI_KAFKA_BROKERS, _TLS, _TLS_CA, _SASL_*) creates a topic, produces and
 *     consumes through it; a wrong password or a wrong CA is refused;
 *   - the Temporal server 1.29.1 (the cluster profile's build, in-memory SQLite) with mTLS on its
 *     frontend: the client configuration (JIANYI_TEMPORAL_TLS_CERT/_KEY/_CA/_SERVER_NAME) connects;
 *     without the client certificate, or with a wrong CA, it does not. The `temporal` CLI's dev server
 *     has no TLS options (`temporal server start-dev --help`), hence the real server; when its build is
 *     missing (`./dev cluster up` or `infra/cluster/cluster.sh install` makes it), that case is skipped.
 * Each case runs the configuration in a fresh process (tls-probe.ts), since config.ts reads the
 * environment once. Ports: the test stack's API port + 50…69 (JIANYI_PORT_OFFSET keeps stacks apart).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../src';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const CACHE = process.env.JIANYI_CACHE ?? path.join(os.homedir(), '.cache/jianyi');
const PG_BIN = `/usr/lib/postgresql/${process.env.PG_VERSION ?? '15'}/bin`;
const KAFKA_LIBS = path.join(CACHE, 'kafka-3.9.1/libs');
const TEMPORAL_SERVER = path.join(CACHE, 'temporal-server-1.29.1/server');
const BASE = config.api.port + 50;
const PORTS = {
  pg: BASE,
  kafka: BASE + 1,
  kafkaController: BASE + 2,
  kafkaInternal: BASE + 3,
  temporal: BASE + 10,
};
// Where the postgres user can reach (a clone under /root cannot be entered by it).
const DIR = `/var/tmp/jianyi-tls-${config.api.port}`;
const PASSWORD = 'tls-Test-Passw0rd';

const sh = (cmd: string, args: string[], opts: { user?: string } = {}) =>
  opts.user
    ? execFileSync('runuser', ['-u', opts.user, '--', cmd, ...args], { stdio: 'pipe' }).toString()
    : execFileSync(cmd, args, { stdio: 'pipe' }).toString();

/** A CA and a server certificate it signs for localhost and 127.0.0.1; a client certificate; a second, unrelated CA. */
function makeCertificates() {
  const f = (n: string) => path.join(DIR, n);
  const ca = (name: string) => {
    sh('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.pem`),
    ]);
  };
  ca('ca');
  ca('wrong-ca');
  const leaf = (name: string, ext: string) => {
    sh('openssl', [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.csr`),
    ]);
    writeFileSync(f(`${name}.ext`), ext);
    sh('openssl', [
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.pem`),
    ]);
  };
  leaf('server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  leaf('client', 'extendedKeyUsage=clientAuth\n');
  // Kafka reads a PKCS#12 key store (Java 17).
  sh('openssl', [
    'pkcs12',
    '-export',
    '-in',
    f('server.pem'),
    '-inkey',
    f('server.key'),
    '-name',
    'broker',
    '-passout',
    `pass:${PASSWORD}`,
    '-out',
    f('server.p12'),
  ]);
}

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, ms: number, log?: string) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if (await ok()) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `${what} did not come up within ${ms} ms${log && existsSync(log) ? `:\n${readFileSync(log, 'utf8').slice(-3000)}` : ''}`,
  );
}

/** Runs tls-probe.ts with the given environment (on top of a clean one: no stack's settings leak in). */
async function probe(kind: 'pg' | 'kafka' | 'temporal', env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JIANYI_')));
  try {
    const { stdout } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['services/platform/test/tls-probe.ts', kind],
      {
        cwd: ROOT,
        env: { ...clean, JIANYI_ENV: 'test', JIANYI_DATA: DIR, JIANYI_LOG_LEVEL: 'silent', ...env },
        timeout: 90_000,
      },
    );
    return {
      ok: true as const,
      result: JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>,
    };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false as const, error: (e.stderr || e.message).slice(-1500) };
  }
}

const children: ChildProcess[] = [];
function start(cmd: string, args: string[], log: string, opts: { cwd?: string } = {}) {
  const out = openSync(log, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], detached: true, cwd: opts.cwd });
  children.push(child);
  return child;
}

beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  chmodSync(DIR, 0o755);
  makeCertificates();
});
afterAll(async () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (existsSync(path.join(DIR, 'pg', 'postmaster.pid')))
    await run('runuser', [
      '-u',
      'postgres',
      '--',
      `${PG_BIN}/pg_ctl`,
      '-D',
      path.join(DIR, 'pg'),
      '-m',
      'immediate',
      'stop',
    ]).catch(() => undefined);
  rmSync(DIR, { recursive: true, force: true });
});

describe('PostgreSQL over TLS (verify-full, the CA from the configuration)', () => {
  const pgDir = path.join(DIR, 'pg');
  beforeAll(async () => {
    mkdirSync(pgDir, { mode: 0o700 });
    sh('chown', ['postgres:postgres', pgDir]);
    writeFileSync(path.join(DIR, 'pwfile'), PASSWORD);
    sh('chown', ['postgres:postgres', path.join(DIR, 'pwfile')]);
    sh(
      `${PG_BIN}/initdb`,
      [
        '-D',
        pgDir,
        '-U',
        'postgres',
        '--pwfile',
        path.join(DIR, 'pwfile'),
        '-A',
        'scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      { user: 'postgres' },
    );
    for (const n of ['server.pem', 'server.key']) {
      execFileSync('cp', [path.join(DIR, n), path.join(pgDir, n)]);
      sh('chown', ['postgres:postgres', path.join(pgDir, n)]);
      chmodSync(path.join(pgDir, n), 0o600);
    }
    // TLS only: a connection without it is refused by pg_hba.conf.
    writeFileSync(
      path.join(pgDir, 'pg_hba.conf'),
      'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n',
    );
    await run('runuser', [
      '-u',
      'postgres',
      '--',
      `${PG_BIN}/pg_ctl`,
      '-D',
      pgDir,
      '-l',
      path.join(pgDir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${PORTS.pg} -k ${pgDir} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=server.pem -c ssl_key_file=server.key`,
      'start',
    ]);
  }, 120_000);

  const url = `postgres://postgres:${PASSWORD}@localhost:${PORTS.pg}/postgres`;
  it('connects with verify-full and the CA, and pg_stat_ssl shows the session encrypted', async () => {
    const r = await probe('pg', {
      JIANYI_DATABASE_URL: url,
      JIANYI_PG_SSL: 'verify-full',
      JIANYI_PG_SSL_CA: path.join(DIR, 'ca.pem'),
    });
    expect(r).toMatchObject({ ok: true, result: { ssl: true } });
    expect(String((r.result as { version?: string } | undefined)?.version)).toMatch(/^TLSv1\.[23]$/);
  });
  it('refuses a server whose certificate another CA signed, and a connection without TLS', async () => {
    const wrong = await probe('pg', {
      JIANYI_DATABASE_URL: url,
      JIANYI_PG_SSL: 'verify-full',
      JIANYI_PG_SSL_CA: path.join(DIR, 'wrong-ca.pem'),
    });
    expect(wrong.ok).toBe(false);
    expect((wrong as { error: string }).error).toMatch(/certificate/i);
    console.info(`wrong CA: ${wrong.error}`);
    const plain = await probe('pg', { JIANYI_DATABASE_URL: url, JIANYI_PG_SSL: 'disable' });
    expect(plain.ok).toBe(false);
    expect((plain as { error: string }).error).toMatch(/pg_hba\.conf|no encryption/);
  });
});

describe('Kafka: SASL/SCRAM-SHA-512 over TLS', () => {
  beforeAll(async () => {
    const d = path.join(DIR, 'kafka');
    mkdirSync(d, { recursive: true });
    const props = path.join(d, 'server.properties');
    writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${PORTS.kafkaController}`,
        `listeners=SASL_SSL://localhost:${PORTS.kafka},CONTROLLER://127.0.0.1:${PORTS.kafkaController},INTERNAL://127.0.0.1:${PORTS.kafkaInternal}`,
        `advertised.listeners=SASL_SSL://localhost:${PORTS.kafka},INTERNAL://127.0.0.1:${PORTS.kafkaInternal}`,
        'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT',
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=INTERNAL',
        'sasl.enabled.mechanisms=SCRAM-SHA-512',
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        `ssl.keystore.location=${path.join(DIR, 'server.p12')}`,
        'ssl.keystore.type=PKCS12',
        `ssl.keystore.password=${PASSWORD}`,
        `ssl.key.password=${PASSWORD}`,
        `log.dirs=${path.join(d, 'logs')}`,
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        '',
      ].join('\n'),
    );
    const cp = `${KAFKA_LIBS}/*`;
    const jvm = [
      '-Xms128m',
      '-Xmx384m',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${ROOT}/infra/kafka/log4j.properties`,
    ];
    // The SCRAM user is written with the storage (KIP-900), before the broker's first start.
    sh('java', [
      ...jvm,
      '-cp',
      cp,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      'MkU3OEVBNTcwNTJENDM2Qk',
      '-c',
      props,
      '--add-scram',
      `SCRAM-SHA-512=[name=jianyi,password=${PASSWORD}]`,
    ]);
    const log = path.join(DIR, 'kafka.log');
    start('java', [...jvm, '-cp', cp, 'kafka.Kafka', props], log);
    await waitUntil(
      'the Kafka broker',
      () => /Kafka Server started/.test(readFileSync(log, 'utf8')),
      120_000,
      log,
    );
  }, 180_000);

  const env = (over: Record<string, string> = {}) => ({
    JIANYI_KAFKA_BROKERS: `localhost:${PORTS.kafka}`,
    JIANYI_KAFKA_TLS: 'true',
    JIANYI_KAFKA_TLS_CA: path.join(DIR, 'ca.pem'),
    JIANYI_KAFKA_SASL_MECHANISM: 'scram-sha-512',
    JIANYI_KAFKA_SASL_USERNAME: 'jianyi',
    JIANYI_KAFKA_SASL_PASSWORD: PASSWORD,
    ...over,
  });
  it('produces and consumes through the SASL_SSL listener with the configured user and CA', async () => {
    const r = await probe('kafka', env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const res = r.result as { produced: string; consumed: string; sasl: string; tls: boolean };
    expect(res.consumed).toBe(res.produced);
    expect(res).toMatchObject({ sasl: 'scram-sha-512', tls: true });
  });
  it('is refused with a wrong password and with a wrong CA', async () => {
    const pw = await probe('kafka', env({ JIANYI_KAFKA_SASL_PASSWORD: 'not-the-password' }));
    expect(pw.ok).toBe(false);
    expect((pw as { error: string }).error).toMatch(/SASL|authenticat/i);
    const ca = await probe('kafka', env({ JIANYI_KAFKA_TLS_CA: path.join(DIR, 'wrong-ca.pem') }));
    expect(ca.ok).toBe(false);
    console.info(`wrong password: ${pw.error}\nwrong CA: ${ca.error}`);
    expect((ca as { error: string }).error).toMatch(
      /certificate|self.signed|Connection error|ECONNRESET|connect/i,
    );
  });
});

describe.skipIf(!existsSync(TEMPORAL_SERVER))('Temporal: mTLS on the frontend (server 1.29.1)', () => {
  beforeAll(async () => {
    const d = path.join(DIR, 'temporal');
    mkdirSync(path.join(d, 'config'), { recursive: true });
    const t = PORTS.temporal;
    const f = (n: string) => path.join(DIR, n);
    const store = (name: string) => `    ${name}:
      sql:
        pluginName: sqlite
        databaseName: default
        connectAddr: localhost
        connectProtocol: tcp
        connectAttributes: { mode: memory, cache: private }
        maxConns: 1
        maxIdleConns: 1
        maxConnLifetime: 1h
`;
    writeFileSync(
      path.join(d, 'config', 'tls.yaml'),
      `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 1
  datastores:
${store('default')}${store('visibility')}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  tls:
    frontend:
      server:
        certFile: ${f('server.pem')}
        keyFile: ${f('server.key')}
        requireClientAuth: true
        clientCaFiles: [${f('ca.pem')}]
      client:
        serverName: localhost
        rootCaFiles: [${f('ca.pem')}]
    systemWorker:
      certFile: ${f('client.pem')}
      keyFile: ${f('client.key')}
      client:
        serverName: localhost
        rootCaFiles: [${f('ca.pem')}]
services:
  frontend:
    rpc: { grpcPort: ${t}, membershipPort: ${t + 1}, httpPort: ${t + 2}, bindOnLocalHost: true }
  history:
    rpc: { grpcPort: ${t + 3}, membershipPort: ${t + 4}, bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: ${t + 5}, membershipPort: ${t + 6}, bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: ${t + 7}, membershipPort: ${t + 8}, bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "localhost:${t}"
dcRedirectionPolicy:
  policy: noop
`,
    );
    const log = path.join(DIR, 'temporal.log');
    start(
      TEMPORAL_SERVER,
      ['--root', d, '--config', 'config', '--env', 'tls', '--allow-no-auth', 'start'],
      log,
    );
    await waitUntil(
      'the Temporal server with mTLS',
      async () => (await probe('temporal', clientEnv())).ok,
      120_000,
      log,
    );
  }, 180_000);

  const clientEnv = (over: Record<string, string> = {}) => ({
    JIANYI_TEMPORAL_ADDRESS: `localhost:${PORTS.temporal}`,
    JIANYI_TEMPORAL_TLS_CERT: path.join(DIR, 'client.pem'),
    JIANYI_TEMPORAL_TLS_KEY: path.join(DIR, 'client.key'),
    JIANYI_TEMPORAL_TLS_CA: path.join(DIR, 'ca.pem'),
    ...over,
  });
  it('connects with the client certificate and the CA from the configuration', async () => {
    const r = await probe('temporal', clientEnv());
    expect(r).toMatchObject({ ok: true, result: { namespace: 'temporal-system', tls: true } });
  });
  it('is refused without a client certificate and with a wrong CA', async () => {
    const noCert = await probe('temporal', {
      JIANYI_TEMPORAL_ADDRESS: `localhost:${PORTS.temporal}`,
      JIANYI_TEMPORAL_TLS: 'true',
      JIANYI_TEMPORAL_TLS_CA: path.join(DIR, 'ca.pem'),
    });
    expect(noCert.ok).toBe(false);
    const wrongCa = await probe(
      'temporal',
      clientEnv({ JIANYI_TEMPORAL_TLS_CA: path.join(DIR, 'wrong-ca.pem') }),
    );
    expect(wrongCa.ok).toBe(false);
    // The refusals, for the log: the server wants a certificate; the client does not trust the server's.
    console.info(`without a client certificate: ${noCert.error}\nwith a wrong CA: ${wrongCa.error}`);
  });
});
