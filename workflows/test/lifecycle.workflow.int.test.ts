import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { config, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { createActivities } from '../src/activities';
import {
  assignUpdate, consultationUpdate, contactUpdate, draftReplyUpdate, opinionUpdate, rateUpdate, reviewUpdate, sendReplyUpdate, signInUpdate,
  signOffUpdate, stateQuery, unitStateQuery, unitWorkflowId, type SuggestionWorkflowInput,
} from '../src/workflows/suggestion.messages';

// The lifecycle after acceptance on real Temporal and PostgreSQL, with the `test-fast@1` policy
// whose clocks are seconds long, so every timer (reminders, yellow, red, evaluation timeout) really fires.
const taskQueue = `test-${randomUUID()}`;
let ds: DataSource;
let client: Client;
let worker: Worker;
let running: Promise<void>;

const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');
const deputy: Actor = { userId: demoId('user:wangjianguo'), role: 'deputy', name: '王建国' };
const reviewer: Actor = { userId: demoId('user:reviewer'), role: 'reviewer' };
const jtjHandler: Actor = { userId: demoId('user:jtj.handler'), role: 'unit_handler', unitId: JTJ };
const jtjLeader: Actor = { userId: demoId('user:jtj.leader'), role: 'unit_leader', unitId: JTJ };
const jyjHandler: Actor = { userId: demoId('user:jyj.handler'), role: 'unit_handler', unitId: JYJ };

async function accepted() {
  const id = randomUUID();
  await ds.query(`INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by) VALUES ($1, '关于规范共享单车停放的建议', '共享单车乱停乱放占用盲道,建议划定停放区。', 'draft', $2, $3)`,
    [id, demoId('deputy:wang'), deputy.userId]);
  const input: SuggestionWorkflowInput = { version: 1, suggestionId: id, leadDeputyId: demoId('deputy:wang'), policyVersion: 'test-fast@1', submittedBy: deputy };
  const h = await client.workflow.start('suggestionWorkflow', { taskQueue, workflowId: `suggestion-${id}`, args: [input] });
  await until(async () => (await h.query(stateQuery)).status === 'submitted');
  await h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  const events = async () => (await ds.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])) as { type: string; payload: any }[];
  const status = async () => (await ds.query(`SELECT status FROM suggestions WHERE id = $1`, [id]))[0].status as string;
  return { id, h, events, status };
}
const unit = (id: string, unitId: string, round = 1) => client.workflow.getHandle(unitWorkflowId(id, unitId, round));

async function until(fn: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in time');
}
async function refusal(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as { type?: string }).type ?? 'unknown';
  }
  throw new Error('expected a refusal');
}
async function handleAndReply(h: WorkflowHandle, category: 'A' | 'B' = 'A') {
  await until(async () => !!(await h.query(unitStateQuery))); // the child starts just after the parent's step
  await h.executeUpdate(signInUpdate, { args: [jtjHandler] });
  await h.executeUpdate(contactUpdate, { args: [jtjHandler, { contactedOn: '2026-11-20', form: '面商', summary: '与代表当面沟通办理思路' }] });
  await h.executeUpdate(draftReplyUpdate, { args: [jtjHandler, category === 'B' ? { category, body: '已列入明年计划', promisedDate: '2027-06-30' } : { category, body: '已划定停放区 120 处' }] });
  await h.executeUpdate(signOffUpdate, { args: [jtjLeader] });
  await h.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
}

describe('suggestion lifecycle after acceptance', () => {
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

  it('lead + co-handler, a 不满意, re-handling, a second 不满意, consultation, closure and publication', async () => {
    const s = await accepted();
    expect(await refusal(s.h.executeUpdate(assignUpdate, { args: [deputy, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }] }))).toBe('Forbidden');
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }] });
    await until(async () => (await s.status()) === 'assigned');
    const lead = unit(s.id, JTJ);
    await until(async () => !!(await lead.query(unitStateQuery)));

    // Refusals before anything is written: wrong unit, no sign-in, no contact, no sign-off, wrong role to sign.
    expect(await refusal(lead.executeUpdate(signInUpdate, { args: [jyjHandler] }))).toBe('Forbidden');
    expect(await refusal(lead.executeUpdate(contactUpdate, { args: [jtjHandler, { contactedOn: '2026-11-20', form: '电话', summary: 'x' }] }))).toBe('WrongState');
    await lead.executeUpdate(signInUpdate, { args: [jtjHandler] });
    await until(async () => (await s.status()) === 'handling');
    await lead.executeUpdate(draftReplyUpdate, { args: [jtjHandler, { category: 'A', body: '已划定停放区' }] });
    expect(await refusal(lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] }))).toBe('WrongState'); // no contact
    await lead.executeUpdate(contactUpdate, { args: [jtjHandler, { contactedOn: '2026-11-20', form: '面商', summary: '当面听取代表意见' }] });
    expect(await refusal(lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] }))).toBe('WrongState'); // no sign-off
    expect(await refusal(lead.executeUpdate(signOffUpdate, { args: [jtjHandler] }))).toBe('Forbidden'); // handler cannot sign
    expect(await refusal(lead.executeUpdate(draftReplyUpdate, { args: [jtjHandler, { category: 'B', body: '列入计划' }] }))).toBe('WrongState'); // B needs a date
    await lead.executeUpdate(signOffUpdate, { args: [jtjLeader] });

    // The co-handler sends its opinion to the lead; it never replies to the deputy.
    const co = unit(s.id, JYJ);
    await co.executeUpdate(signInUpdate, { args: [jyjHandler] });
    expect(await refusal(co.executeUpdate(draftReplyUpdate, { args: [jyjHandler, { category: 'A', body: 'x' }] }))).toBe('WrongState');
    await co.executeUpdate(opinionUpdate, { args: [jyjHandler, { body: '建议在学校周边优先设置停放区' }] });

    await lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
    await until(async () => (await s.status()) === 'replied');
    expect(await refusal(s.h.executeUpdate(rateUpdate, { args: [reviewer, { rating: 'satisfied' }] }))).toBe('Forbidden');
    await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'unsatisfied', comment: '停放区数量不够' }] });
    await until(async () => (await s.status()) === 'rehandling');

    // Round 2 runs on its own clock; only the lead handles again.
    await handleAndReply(unit(s.id, JTJ, 2));
    await until(async () => (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null);
    expect(await refusal(s.h.executeUpdate(consultationUpdate, { args: [reviewer, { summary: '过早' }] }))).toBe('WrongState');
    await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'unsatisfied' }] });
    await until(async () => (await s.h.query(stateQuery)).ratings.length === 2);
    expect(await s.status()).toBe('replied'); // waits for the consultation
    await s.h.executeUpdate(consultationUpdate, { args: [reviewer, { summary: '2026年11月28日与代表当面协商,明确分步实施计划' }] });
    expect((await s.h.result()).status).toBe('published');

    expect(await s.status()).toBe('published');
    const rows = async (sql: string) => ds.query(sql, [s.id]);
    expect(await rows(`SELECT unit_id, role, round, status FROM assignments WHERE suggestion_id = $1 ORDER BY round, role DESC`)).toEqual([
      { unit_id: JTJ, role: 'lead', round: 1, status: 'replied' },
      { unit_id: JYJ, role: 'co', round: 1, status: 'opinion_sent' },
      { unit_id: JTJ, role: 'lead', round: 2, status: 'replied' },
    ]);
    expect(await rows(`SELECT round, rating FROM evaluations WHERE suggestion_id = $1 ORDER BY round`)).toEqual([
      { round: 1, rating: 'unsatisfied' }, { round: 2, rating: 'unsatisfied' },
    ]);
    const replies = await rows(`SELECT kind, round, category, signed_by IS NOT NULL AS signed, sent_at IS NOT NULL AS sent FROM replies WHERE suggestion_id = $1 ORDER BY round, kind`);
    expect(replies).toEqual([
      { kind: 'opinion', round: 1, category: null, signed: false, sent: true },
      { kind: 'reply', round: 1, category: 'A', signed: true, sent: true },
      { kind: 'reply', round: 2, category: 'A', signed: true, sent: true },
    ]);
    const statusEvents = (await s.events()).map((e) => e.type).filter((t) => t !== 'suggestion.deadline');
    expect(statusEvents).toEqual([
      'suggestion.submitted', 'suggestion.accepted', 'suggestion.assigned', 'suggestion.signed_in', 'suggestion.handling_started',
      'suggestion.reply_drafted', 'suggestion.contact_logged', 'suggestion.reply_signed', 'suggestion.signed_in', 'suggestion.opinion_sent',
      'suggestion.reply_sent', 'suggestion.replied', 'suggestion.rated', 'suggestion.rehandling',
      'suggestion.signed_in', 'suggestion.contact_logged', 'suggestion.reply_drafted', 'suggestion.reply_signed', 'suggestion.reply_sent',
      'suggestion.replied', 'suggestion.rated', 'suggestion.consultation_recorded', 'suggestion.closed', 'suggestion.published',
    ]);
  });

  it('a unit that does nothing gets reminders at 50% and 75%, a yellow and a red warning, in that order', async () => {
    const s = await accepted();
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await until(async () => (await s.events()).some((e) => e.type === 'suggestion.deadline' && e.payload.data.level === 'red'), 25_000);
    const marks = (await s.events()).filter((e) => e.type === 'suggestion.deadline').map((e) => `${e.payload.data.level}${e.payload.data.fraction ?? ''}`);
    expect(marks).toEqual(['reminder0.5', 'reminder0.75', 'yellow', 'red']);
    // The unit can still reply after the deadline; the warnings stop once it has.
    await handleAndReply(unit(s.id, JTJ), 'B');
    await until(async () => (await s.status()) === 'replied');
  });

  it('records 未反馈 when the deputy does not rate within the window, then closes and publishes', async () => {
    const s = await accepted();
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await until(async () => (await s.status()) === 'assigned');
    await handleAndReply(unit(s.id, JTJ));
    const final = await s.h.result();
    expect(final.ratings).toEqual([{ round: 1, rating: 'no_feedback' }]);
    expect(await s.status()).toBe('published');
    expect(await ds.query(`SELECT rating, rated_by FROM evaluations WHERE suggestion_id = $1`, [s.id])).toEqual([{ rating: 'no_feedback', rated_by: null }]);
  });
});
