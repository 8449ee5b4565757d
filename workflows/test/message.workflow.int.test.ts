import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { config, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import type { DataSource } from 'typeorm';
import { WORKFLOW_PRELOAD_MODULES } from '../src/bundle-options';
import { createActivities } from '../src/activities';
import { createMessageActivities } from '../src/activities/message.activities';
import {
  answerMessageUpdate,
  claimMessageUpdate,
  convertMessageUpdate,
  forwardMessageUpdate,
  mergeMessageUpdate,
  messageWorkflowId,
  rateMessageUpdate,
  type MessageWorkflowInput,
} from '../src/workflows/message.messages';
import { JTJ, JYJ, jtjHandler, jyjHandler, refusal, until } from './support';

// The constituent message workflow (一码通) on real Temporal and PostgreSQL with the seconds-long
// test-fast@1 policy: claim clock 3 s, the unit's answer clock 5 s, evaluation window 6 s.
const STATION = demoId('station:lc');
const wang: Actor = {
  userId: demoId('user:wangjianguo'),
  role: 'deputy',
  name: '王建国',
  deputyId: demoId('deputy:wang'),
};
const li: Actor = {
  userId: demoId('user:lixiuying'),
  role: 'deputy',
  name: '李秀英',
  deputyId: demoId('deputy:li'),
};
const staff: Actor = { userId: demoId('user:lc.staff'), role: 'station_staff', name: '钱蕾' };
const constituent: Actor = { userId: null, role: null, name: '群众' };

let ds: DataSource;
let client: Client;
let taskQueue: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed */
  }
  taskQueue = `test-msg-${randomUUID()}`;
  ds = await openDataSource();
  client = new Client({
    connection: await Connection.connect({ address: config.temporal.address }),
    namespace: config.temporal.namespace,
  });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: config.temporal.address }),
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts'),
    bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES },
    activities: {
      ...createActivities({ ds, policies: loadPolicyRegistry(), calendar: seededWorkCalendar() }),
      ...createMessageActivities({ ds }),
    },
  });
  const running = worker.run();
  stop = async () => {
    worker.shutdown();
    await running;
    await ds.destroy();
  };
}, 60_000);
afterAll(() => stop?.());

async function newMessage() {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO messages (id, tracking_code, station_id, category, content, phone, policy_version)
     VALUES ($1, $2, $3, 'transport', '小区门口的公交站台没有遮雨棚,雨天候车很不方便。', '13800000000', 'test-fast@1')`,
    [id, `T${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`, STATION],
  );
  const input: MessageWorkflowInput = {
    version: 1,
    messageId: id,
    stationId: STATION,
    policyVersion: 'test-fast@1',
    deputyIds: [wang.deputyId!, demoId('deputy:chen')],
    staffUserIds: [staff.userId!],
    receivedAt: new Date().toISOString(),
    channel: 'online',
    category: 'transport',
    receivedBy: null,
  };
  const h = await client.workflow.start('messageWorkflow', {
    taskQueue,
    workflowId: messageWorkflowId(id),
    args: [input],
  });
  const events = async () =>
    (await ds.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])) as {
      type: string;
      payload: any;
    }[];
  const row = async () => (await ds.query(`SELECT * FROM messages WHERE id = $1`, [id]))[0];
  await until(async () => (await events()).some((e) => e.type === 'message.received'));
  return { id, h, events, row };
}

describe('constituent message workflow (一码通)', () => {
  it('nobody claims within the claim clock: the staff are warned and may take it; it no longer counts as on time', async () => {
    const m = await newMessage();
    // Before the claim clock ends the staff cannot take it; a deputy of another station may never claim it.
    expect(await refusal(m.h.executeUpdate(claimMessageUpdate, { args: [staff] }))).toBe('WrongState');
    expect(await refusal(m.h.executeUpdate(claimMessageUpdate, { args: [li] }))).toBe('Forbidden');
    await until(async () => (await m.events()).some((e) => e.type === 'message.claim_overdue'));
    expect((await m.row()).claim_overdue).toBe(true);
    const overdue = (await m.events()).find((e) => e.type === 'message.claim_overdue')!;
    expect(overdue.payload.data.audience.userIds).toEqual([staff.userId]);
    await m.h.executeUpdate(claimMessageUpdate, { args: [staff] });
    const claimed = (await m.events()).find((e) => e.type === 'message.claimed')!;
    expect(claimed.payload.data.onTime).toBe(false);
    await m.h.executeUpdate(answerMessageUpdate, {
      args: [staff, { answer: '已联系公交公司,本月内加装遮雨棚。' }],
    });
    const answered = (await m.events()).find((e) => e.type === 'message.answered')!;
    expect(answered.payload.data).toMatchObject({ by: 'staff', onTime: false, claimerDeputyId: null });
    expect((await m.row()).status).toBe('answered');
  }, 60_000);

  it('forwarded to a unit: only that unit answers, on its own clock with reminders and a red warning', async () => {
    const m = await newMessage();
    await m.h.executeUpdate(claimMessageUpdate, { args: [wang] });
    expect(
      await refusal(
        m.h.executeUpdate(forwardMessageUpdate, {
          args: [
            { ...wang, userId: demoId('user:chenlihua'), deputyId: demoId('deputy:chen') },
            { unitId: JTJ, note: '' },
          ],
        }),
      ),
    ).toBe('Forbidden'); // not the claimer
    await m.h.executeUpdate(forwardMessageUpdate, {
      args: [wang, { unitId: JTJ, note: '请交通局核实站台情况' }],
    });
    const row = await m.row();
    expect(row.status).toBe('forwarded');
    expect(row.unit_id).toBe(JTJ);
    expect(row.answer_deadline_at).not.toBeNull();
    expect(
      await refusal(
        m.h.executeUpdate(answerMessageUpdate, { args: [jyjHandler, { answer: '这不是我们的事情。' }] }),
      ),
    ).toBe('Forbidden');
    expect(
      await refusal(
        m.h.executeUpdate(answerMessageUpdate, { args: [wang, { answer: '代表直接答复试试。' }] }),
      ),
    ).toBe('Forbidden');
    await until(async () =>
      (await m.events()).some((e) => e.type === 'message.deadline' && e.payload.data.level === 'red'),
    );
    const marks = (await m.events()).filter((e) => e.type === 'message.deadline').map((e) => e.payload.data);
    expect(marks.filter((d) => d.level === 'reminder').map((d) => d.fraction)).toEqual([0.5, 0.75]);
    expect(marks.every((d) => d.unitId === JTJ && d.audience.unitIds.includes(JTJ))).toBe(true);
    expect((await m.row()).overdue).toBe(true);
    await m.h.executeUpdate(answerMessageUpdate, {
      args: [jtjHandler, { answer: '经核实,已安排在该站台加装遮雨棚。' }],
    });
    const answered = (await m.events()).find((e) => e.type === 'message.answered')!;
    expect(answered.payload.data).toMatchObject({
      by: 'unit',
      unitId: JTJ,
      onTime: false,
      claimerDeputyId: wang.deputyId,
    });
    expect(JYJ).not.toBe(JTJ);
  }, 60_000);

  it('turned into a suggestion draft of the claiming deputy, linked both ways', async () => {
    const m = await newMessage();
    await m.h.executeUpdate(claimMessageUpdate, { args: [wang] });
    const st = await m.h.executeUpdate(convertMessageUpdate, {
      args: [wang, { title: '关于完善公交站台遮雨设施的建议' }],
    });
    expect(st.status).toBe('converted');
    const row = await m.row();
    expect(row.suggestion_id).toBe(st.suggestionId);
    const s = (
      await ds.query(`SELECT title, status, lead_deputy_id, content FROM suggestions WHERE id = $1`, [
        st.suggestionId,
      ])
    )[0];
    expect(s).toMatchObject({
      title: '关于完善公交站台遮雨设施的建议',
      status: 'draft',
      lead_deputy_id: wang.deputyId,
    });
    expect(s.content).toContain('遮雨棚');
    const linked = await ds.query(`SELECT id FROM messages WHERE suggestion_id = $1`, [st.suggestionId]);
    expect(linked).toEqual([{ id: m.id }]);
    await until(async () => (await m.h.describe()).status.name === 'COMPLETED');
  }, 60_000);

  it('linked to an existing suggestion (no new draft): a suggestion gathers several messages', async () => {
    const first = await newMessage();
    await first.h.executeUpdate(claimMessageUpdate, { args: [wang] });
    const st = await first.h.executeUpdate(convertMessageUpdate, {
      args: [wang, { title: '关于完善公交站台遮雨设施的建议' }],
    });
    const second = await newMessage();
    await second.h.executeUpdate(claimMessageUpdate, { args: [wang] });
    const before: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM suggestions`);
    const linked = await second.h.executeUpdate(convertMessageUpdate, {
      args: [wang, { title: '', suggestionId: st.suggestionId! }],
    });
    expect(linked).toMatchObject({ status: 'converted', suggestionId: st.suggestionId });
    const after: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM suggestions`);
    expect(after[0]!.n).toBe(before[0]!.n);
    const ev = (await second.events()).find((e) => e.type === 'message.converted')!;
    expect(ev.payload.data).toMatchObject({ suggestionId: st.suggestionId, linked: true });
    const rows = await ds.query(`SELECT id FROM messages WHERE suggestion_id = $1 ORDER BY created_at`, [
      st.suggestionId,
    ]);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual([first.id, second.id].sort());
    await until(async () => (await second.h.describe()).status.name === 'COMPLETED');
  }, 60_000);

  it('merged as a duplicate while waiting: the claim clock stops, the workflow ends, nothing more is accepted', async () => {
    const keep = await newMessage();
    const dup = await newMessage();
    expect(
      await refusal(
        dup.h.executeUpdate(mergeMessageUpdate, { args: [li, { intoMessageId: keep.id, reason: '' }] }),
      ),
    ).toBe('Forbidden');
    expect(
      await refusal(
        dup.h.executeUpdate(mergeMessageUpdate, { args: [staff, { intoMessageId: dup.id, reason: '' }] }),
      ),
    ).toBe('WrongState');
    const st = await dup.h.executeUpdate(mergeMessageUpdate, {
      args: [staff, { intoMessageId: keep.id, reason: '同一站台' }],
    });
    expect(st.status).toBe('merged');
    expect(await dup.row()).toMatchObject({
      status: 'merged',
      merged_into_id: keep.id,
      merge_reason: '同一站台',
    });
    await until(async () => (await dup.h.describe()).status.name === 'COMPLETED');
    const types = (await dup.events()).map((e) => e.type);
    expect(types).toEqual(['message.received', 'message.merged']);
  }, 60_000);

  it('answered on time by the deputy, then rated once by the constituent', async () => {
    const m = await newMessage();
    await m.h.executeUpdate(claimMessageUpdate, { args: [wang] });
    expect(
      await refusal(
        m.h.executeUpdate(rateMessageUpdate, { args: [constituent, { rating: 'satisfied', comment: null }] }),
      ),
    ).toBe('WrongState');
    await m.h.executeUpdate(answerMessageUpdate, {
      args: [wang, { answer: '已与社区沟通,下周加装遮雨棚。' }],
    });
    const answered = (await m.events()).find((e) => e.type === 'message.answered')!;
    expect(answered.payload.data).toMatchObject({
      by: 'deputy',
      onTime: true,
      claimerDeputyId: wang.deputyId,
    });
    await m.h.executeUpdate(rateMessageUpdate, {
      args: [constituent, { rating: 'basically_satisfied', comment: '希望尽快落实' }],
    });
    // Rated: the workflow has ended, so a second rating finds nothing to update.
    await expect(
      m.h.executeUpdate(rateMessageUpdate, { args: [constituent, { rating: 'satisfied', comment: null }] }),
    ).rejects.toThrow();
    const row = await m.row();
    expect(row).toMatchObject({
      status: 'rated',
      rating: 'basically_satisfied',
      rating_comment: '希望尽快落实',
      on_time: true,
    });
    // Nothing in any event carries the constituent's phone.
    expect(JSON.stringify(await m.events())).not.toContain('13800000000');
  }, 60_000);

  it('closes unrated (未评价) when the evaluation window passes', async () => {
    const m = await newMessage();
    await m.h.executeUpdate(claimMessageUpdate, { args: [wang] });
    await m.h.executeUpdate(answerMessageUpdate, { args: [wang, { answer: '已转社区处理并回访。' }] });
    await until(async () => (await m.row()).status === 'closed', 30_000);
    const last = (await m.events()).at(-1)!;
    expect(last.type).toBe('message.rated');
    expect(last.payload.data.rating).toBe('no_feedback');
  }, 60_000);
});
