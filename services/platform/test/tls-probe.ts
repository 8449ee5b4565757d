/**
 * Connects to one backend with the project's own configuration (config.ts: the environment this
 * process was started with) and prints what the connection is, as one JSON line; exits 1 with the
 * error's message when it cannot connect. Run by tls.int.test.ts in a fresh process per case, since
 * the configuration is read once at start.
 *
 *   tsx services/platform/test/tls-probe.ts pg|kafka|temporal
 */
import { randomUUID } from 'node:crypto';
import { config, connectTemporal, createKafka, openDataSource } from '../src';

async function pg() {
  const ds = await openDataSource({ extra: { max: 1, connectionTimeoutMillis: 10_000 } });
  try {
    const [row] = (await ds.query(
      `SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()`,
    )) as { ssl: boolean; version: string; cipher: string }[];
    return row;
  } finally {
    await ds.destroy();
  }
}

async function kafka() {
  const k = createKafka('tls-probe');
  const topic = 'tls-probe';
  const admin = k.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(topic))
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  await admin.disconnect();
  const value = randomUUID();
  const producer = k.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'probe', value }] });
  await producer.disconnect();
  const consumer = k.consumer({ groupId: `tls-probe-${value}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the produced record was not consumed within 30 s')),
      30_000,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value?.toString() === value) {
          clearTimeout(timer);
          resolve(value);
        }
      },
    });
  });
  await consumer.disconnect();
  return { produced: value, consumed: got, sasl: config.kafka.sasl?.mechanism, tls: !!config.kafka.tls };
}

async function temporal() {
  const client = await connectTemporal();
  try {
    const info = await client.workflowService.getSystemInfo({});
    const ns = await client.workflowService.describeNamespace({ namespace: 'temporal-system' });
    return {
      serverVersion: info.serverVersion,
      namespace: ns.namespaceInfo?.name,
      tls: !!config.temporal.tls,
    };
  } finally {
    await client.connection.close();
  }
}

const probes: Record<string, () => Promise<unknown>> = { pg, kafka, temporal };
const which = process.argv[2] ?? '';
const probe = probes[which];
if (!probe) {
  console.error(`usage: tls-probe.ts ${Object.keys(probes).join('|')}`);
  process.exit(2);
}
probe()
  .then((r) => {
    console.log(JSON.stringify(r));
    process.exit(0);
  })
  .catch((err: unknown) => {
    const e = err as Error & { cause?: Error };
    console.error(
      `PROBE FAILED: ${e?.message ?? String(err)}${e?.cause ? ` (cause: ${e.cause.message})` : ''}`,
    );
    process.exit(1);
  });
