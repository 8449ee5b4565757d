/**
 * `setup` (部署初始化): registers what the platform needs on a fresh Temporal namespace and a fresh Kafka
 * cluster, idempotently — what a deployment runs once per release before the services (the Helm setup
 * Job, `jianyi-setup.service`), and what `./dev` runs on the local stacks:
 *
 *   - the Temporal namespace, when it does not exist (a self-hosted cluster; on Temporal Cloud the
 *     namespace is created in the cloud console and this step only checks it);
 *   - the custom search attributes, through the operator API (`addSearchAttributes`), the ones missing;
 *   - the Kafka topic with the configured partitions, replication factor and `min.insync.replicas`.
 *
 * A second run changes nothing and says so. Exit 0 on success, 1 on failure, 2 on a configuration error.
 *
 *   node dist/setup.js            (production build; entry setup-main.ts)
 *   node_modules/.bin/tsx services/platform/src/setup.ts
 */
import { Connection } from '@temporalio/client';
import { config, requireSettings } from './config';
import { createKafka, ensureTopics } from './kafka/client';
import { temporalConnectionOptions } from './temporal/client';
import { searchAttributeTypes } from './temporal/search-attributes';

const NOT_FOUND = 5; // gRPC status NOT_FOUND

/** Creates the namespace when missing and adds the missing search attributes; returns what it changed. */
export async function setupTemporal(connection: Connection): Promise<string[]> {
  const changes: string[] = [];
  const namespace = config.temporal.namespace;
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if ((err as { code?: number }).code !== NOT_FOUND) throw err;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: config.temporal.retentionDays * 86_400 } as never,
    });
    changes.push(`registered namespace ${namespace} (retention ${config.temporal.retentionDays} days)`);
    // A new namespace takes a moment to be usable by the operator API.
    for (let i = 0; i < 50; i += 1) {
      try {
        await connection.operatorService.listSearchAttributes({ namespace });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = listed.customAttributes ?? {};
  const missing: Record<string, number> = {};
  for (const [name, type] of Object.entries(searchAttributeTypes)) {
    const have = existing[name];
    if (have === undefined || have === null) missing[name] = type;
    else if (Number(have) !== type)
      throw new Error(`search attribute ${name} exists with type ${String(have)}, expected ${type}`);
  }
  if (Object.keys(missing).length) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing as never });
    changes.push(`added search attributes ${Object.keys(missing).join(', ')} to namespace ${namespace}`);
  }
  return changes;
}

/** The Kafka topic (kafka/client.ts ensureTopics). */
export async function setupKafka(): Promise<string[]> {
  const admin = createKafka('setup').admin();
  await admin.connect();
  try {
    return await ensureTopics(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function runSetup(): Promise<string[]> {
  const connection = await Connection.connect(temporalConnectionOptions());
  try {
    return [...(await setupTemporal(connection)), ...(await setupKafka())];
  } finally {
    await connection.close();
  }
}

/** The command: prints each change (or that there was none); exit 0, 1 on failure, 2 on a configuration error. */
export function setupCli(): void {
  // Setup needs no database: only the configuration of Temporal and Kafka must be right.
  requireSettings('setup', { database: false });
  runSetup()
    .then((changes) => {
      console.log(changes.length ? changes.map((c) => `setup: ${c}`).join('\n') : 'setup: nothing to change');
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error('setup failed:', err);
      process.exit(1);
    });
}

// Under tsx; the production build's entry is setup-main.ts (the build compiles this guard out).
if (require.main === module) setupCli();
