/** Shared setup of the workflow tests: a real Worker on its own task queue against the test stack's Temporal and PostgreSQL. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { expect } from 'vitest';
import type { Actor } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { config, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { waitFor } from '@jianyi/platform/src/testing';
import { WORKFLOW_PRELOAD_MODULES } from '../src/bundle-options';
import { createActivities } from '../src/activities';
import {
  contactUpdate,
  draftReplyUpdate,
  reviewUpdate,
  sendReplyUpdate,
  signInUpdate,
  signOffUpdate,
  stateQuery,
  unitStateQuery,
  unitWorkflowId,
  type SuggestionWorkflowInput,
} from '../src/workflows/suggestion.messages';

export const JTJ = demoId('unit:JTJ');
export const JYJ = demoId('unit:JYJ');
export const ZJJ = demoId('unit:ZJJ');
export const deputy: Actor = { userId: demoId('user:wangjianguo'), role: 'deputy', name: '王建国' };
export const otherDeputy: Actor = { userId: demoId('user:lixiuying'), role: 'deputy', name: '李秀英' };
export const reviewer: Actor = { userId: demoId('user:reviewer'), role: 'reviewer' };
export const coordinator: Actor = { userId: demoId('user:coordinator'), role: 'coordinator' };
export const supervisor: Actor = { userId: demoId('user:supervisor'), role: 'supervisor' };
export const jtjHandler: Actor = { userId: demoId('user:jtj.handler'), role: 'unit_handler', unitId: JTJ };
export const jtjLeader: Actor = { userId: demoId('user:jtj.leader'), role: 'unit_leader', unitId: JTJ };
export const jyjHandler: Actor = { userId: demoId('user:jyj.handler'), role: 'unit_handler', unitId: JYJ };
export const jyjLeader: Actor = { userId: demoId('user:jyj.leader'), role: 'unit_leader', unitId: JYJ };

export interface TestEnv {
  ds: DataSource;
  client: Client;
  taskQueue: string;
  stop: () => Promise<void>;
}

export async function startTestWorker(): Promise<TestEnv> {
  // One runtime per process; another workflow test file may have installed it already.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed */
  }
  const taskQueue = `test-${randomUUID()}`;
  const ds = await openDataSource();
  const client = new Client({
    connection: await Connection.connect({ address: config.temporal.address }),
    namespace: config.temporal.namespace,
  });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: config.temporal.address }),
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts'),
    bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES },
    activities: createActivities({ ds, policies: loadPolicyRegistry(), calendar: seededWorkCalendar() }),
  });
  const running = worker.run();
  return {
    ds,
    client,
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await ds.destroy();
    },
  };
}

/** Polls until `fn` is true (errors count as not yet), via the shared test helper. */
export async function until(fn: () => Promise<boolean>, ms = 20_000): Promise<void> {
  await waitFor('condition', fn, ms);
}

/** The failure type (Forbidden, WrongState) of a refused update. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as { type?: string }).type ?? 'unknown';
  }
  throw new Error('expected a refusal');
}

/** A new suggestion by 王建国, submitted; `accept` also takes it through pre-review. */
export async function newSuggestion(env: TestEnv, opts: { accept?: boolean; policyVersion?: string } = {}) {
  const { ds, client, taskQueue } = env;
  const id = randomUUID();
  await ds.query(
    `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by) VALUES ($1, '关于规范共享单车停放的建议', '共享单车乱停乱放占用盲道,建议划定停放区。', 'draft', $2, $3)`,
    [id, demoId('deputy:wang'), deputy.userId],
  );
  const input: SuggestionWorkflowInput = {
    version: 1,
    suggestionId: id,
    leadDeputyId: demoId('deputy:wang'),
    policyVersion: opts.policyVersion ?? 'test-fast@1',
    submittedBy: deputy,
  };
  const h = await client.workflow.start('suggestionWorkflow', {
    taskQueue,
    workflowId: `suggestion-${id}`,
    args: [input],
  });
  await until(async () => (await h.query(stateQuery)).status === 'submitted');
  if (opts.accept) await h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  const events = async () =>
    (await ds.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])) as {
      type: string;
      payload: any;
    }[];
  const row = async () =>
    (await ds.query(`SELECT status, registration_no FROM suggestions WHERE id = $1`, [id]))[0] as {
      status: string;
      registration_no: string | null;
    };
  const status = async () => (await row()).status;
  const unit = (unitId: string, round = 1) => client.workflow.getHandle(unitWorkflowId(id, unitId, round));
  return { id, h, handle: h, events, row, status, unit };
}

/** Sign-in, a contact, a draft, the leader's sign-off and sending, by the unit of `handler`. */
export async function handleAndReply(
  h: WorkflowHandle,
  handler = jtjHandler,
  leader = jtjLeader,
  category: 'A' | 'B' = 'A',
  promisedDate = '2027-06-30',
) {
  await until(async () => !!(await h.query(unitStateQuery))); // the child starts just after the parent's step
  await h.executeUpdate(signInUpdate, { args: [handler] });
  await h.executeUpdate(contactUpdate, {
    args: [handler, { contactedOn: '2026-11-20', form: '面商', summary: '与代表当面沟通办理思路' }],
  });
  await h.executeUpdate(draftReplyUpdate, {
    args: [
      handler,
      category === 'B'
        ? { category, body: '已列入明年计划', promisedDate }
        : { category, body: '已划定停放区 120 处' },
    ],
  });
  await h.executeUpdate(signOffUpdate, { args: [leader] });
  await h.executeUpdate(sendReplyUpdate, { args: [handler] });
}
