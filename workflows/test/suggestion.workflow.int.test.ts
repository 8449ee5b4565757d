import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@jianyi/domain';
import { config, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { createActivities } from '../src/activities';
import { resubmitUpdate, reviewUpdate, stateQuery, withdrawUpdate, type SuggestionWorkflowInput } from '../src/workflows/suggestion.messages';

// Real Temporal (the test stack's dev server) and real PostgreSQL; a worker on its own task queue.
const taskQueue = `test-${randomUUID()}`;
let ds: DataSource;
let client: Client;
let worker: Worker;
let running: Promise<void>;

const deputyId = demoId('deputy:wang');
const deputy: Actor = { userId: demoId('user:wangjianguo'), role: 'deputy', name: '王建国' };
const otherDeputy: Actor = { userId: demoId('user:lixiuying'), role: 'deputy', name: '李秀英' };
const reviewer: Actor = { userId: demoId('user:reviewer'), role: 'reviewer', name: '赵敏' };

async function newSuggestion() {
  const id = randomUUID();
  await ds.query(`INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by) VALUES ($1, '关于测试流程的建议', '内容内容内容内容内容', 'draft', $2, $3)`,
    [id, deputyId, deputy.userId]);
  const input: SuggestionWorkflowInput = { version: 1, suggestionId: id, leadDeputyId: deputyId, policyVersion: 'test-fast@1', submittedBy: deputy };
  const handle = await client.workflow.start('suggestionWorkflow', { taskQueue, workflowId: `suggestion-${id}`, args: [input] });
  const row = async () => (await ds.query(`SELECT status, registration_no FROM suggestions WHERE id = $1`, [id]))[0] as { status: string; registration_no: string | null };
  const events = async () => (await ds.query(`SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])).map((r: { type: string }) => r.type) as string[];
  // The workflow is past submission once its state says so.
  for (let i = 0; i < 100 && (await handle.query(stateQuery)).status !== 'submitted'; i++) await new Promise((r) => setTimeout(r, 100));
  return { id, handle, row, events };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as { type?: string };
    return cause.type ?? 'unknown';
  }
  throw new Error('expected the update to be refused');
}

describe('suggestion workflow (pre-review)', () => {
  beforeAll(async () => {
    // One runtime per process; the other workflow test file may have installed it already.
    try { Runtime.install({ logger: new DefaultLogger('WARN') }); } catch { /* already installed */ }
    ds = await openDataSource();
    client = new Client({ connection: await Connection.connect({ address: config.temporal.address }), namespace: config.temporal.namespace });
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address: config.temporal.address }),
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts'),
      activities: createActivities({ ds, policies: loadPolicyRegistry(), calendar: seededWorkCalendar() }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await ds?.destroy();
  });

  it('submission writes the status and exactly one outbox event', async () => {
    const s = await newSuggestion();
    expect((await s.row()).status).toBe('submitted');
    expect(await s.events()).toEqual(['suggestion.submitted']);
    const audit = await ds.query(`SELECT action, before, after FROM audit_log WHERE entity_id = $1`, [s.id]);
    expect(audit).toEqual([{ action: 'suggestion.submitted', before: { status: 'draft' }, after: { status: 'submitted' } }]);
  });

  it('refuses a wrong role and a wrong state before writing anything', async () => {
    const s = await newSuggestion();
    expect(await refusal(s.handle.executeUpdate(reviewUpdate, { args: [deputy, { decision: 'accept' }] }))).toBe('Forbidden');
    expect(await refusal(s.handle.executeUpdate(resubmitUpdate, { args: [deputy] }))).toBe('WrongState');
    expect(await refusal(s.handle.executeUpdate(withdrawUpdate, { args: [otherDeputy] }))).toBe('Forbidden');
    expect(await s.events()).toEqual(['suggestion.submitted']);
    expect((await s.handle.query(stateQuery)).status).toBe('submitted');
  });

  it('returns for revision any number of rounds, then accepts with a registration number', async () => {
    const s = await newSuggestion();
    for (let i = 0; i < 2; i++) {
      const st = await s.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'return', comments: '请补充调研数据' }] });
      expect(st.status).toBe('returned');
      expect((await s.handle.executeUpdate(resubmitUpdate, { args: [deputy] })).status).toBe('submitted');
    }
    const accepted = await s.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
    expect(accepted.registrationNo).toMatch(/^\d{4}-第\d{4}号$/);
    expect(await s.row()).toEqual({ status: 'accepted', registration_no: accepted.registrationNo });
    expect(await s.events()).toEqual([
      'suggestion.submitted', 'suggestion.returned', 'suggestion.submitted', 'suggestion.returned', 'suggestion.submitted', 'suggestion.accepted',
    ]);
  });

  it('gives each accepted suggestion its own registration number', async () => {
    const [a, b] = await Promise.all([newSuggestion(), newSuggestion()]);
    const [ra, rb] = await Promise.all([
      a.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] }),
      b.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] }),
    ]);
    expect(ra.registrationNo).not.toBe(rb.registrationNo);
  });

  it('ends on not-accepted, conversion and withdrawal', async () => {
    const r = await newSuggestion();
    await r.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'reject', reason: '属于个人或家庭事务' }] });
    expect((await r.handle.result()).status).toBe('rejected');
    const c = await newSuggestion();
    await c.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'convert' }] });
    expect((await c.handle.result()).status).toBe('converted');
    const w = await newSuggestion();
    await w.handle.executeUpdate(withdrawUpdate, { args: [deputy] });
    expect((await w.handle.result()).status).toBe('withdrawn');
    expect(await w.row()).toMatchObject({ status: 'withdrawn' });
  });
});
