import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { SA } from '../src/search-attributes';
import {
  assignUpdate,
  decideRequestUpdate,
  opinionUpdate,
  reviewUpdate,
  signInUpdate,
  stateQuery,
  unitRequestUpdate,
  unitStateQuery,
  type SuggestionWorkflowInput,
} from '../src/workflows/suggestion.messages';
import {
  deputy,
  JTJ,
  jtjHandler,
  JYJ,
  jyjHandler,
  newSuggestion,
  reviewer,
  startTestWorker,
  until,
  type TestEnv,
} from './support';

// Issue 9: the item's clock as the process defines it, on real Temporal and PostgreSQL with the
// `test-fast@1` policy (reply 10 s, co-handler opinion 5 s, one extension of at most 5 s, cap 20 s).
// - the total handling cap (6 months; 20 s here) counts from the item's assignment, so a re-assignment
//   does not reset it;
// - Overdue (an open part is past its current deadline) and DeadlineAt are kept current in the search
//   attributes, as `suggestions.overdue` / `deadline_at` are in the database;
// - DeputyIds holds every signer.
let env: TestEnv;

const attrs = async (h: WorkflowHandle) => {
  const d = await h.describe();
  const deadline = d.typedSearchAttributes.get(SA.deadline);
  return {
    overdue: d.typedSearchAttributes.get(SA.overdue) ?? null,
    deadlineAt: deadline ? deadline.toISOString() : null,
    deputyIds: d.typedSearchAttributes.get(SA.deputies) ?? [],
  };
};
const item = async (id: string) =>
  (await env.ds.query(`SELECT overdue, deadline_at FROM suggestions WHERE id = $1`, [id]))[0] as {
    overdue: boolean;
    deadline_at: Date | null;
  };

describe('the item clock: cap from assignment, Overdue and DeadlineAt kept current', () => {
  beforeAll(async () => {
    env = await startTestWorker();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('an overdue unit re-assigned away clears Overdue; the new unit extends, capped 20 s after the assignment', async () => {
    const s = await newSuggestion(env, { accept: true });
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    const jtj = s.unit(JTJ);
    await until(async () => !!(await jtj.query(unitStateQuery)));
    const [{ assigned_at: assignedAt }] = await env.ds.query(
      `SELECT assigned_at FROM assignments WHERE suggestion_id = $1 AND unit_id = $2`,
      [s.id, JTJ],
    );
    await jtj.executeUpdate(unitRequestUpdate, {
      args: [jtjHandler, { kind: 'reassignment', reason: '校车管理属教育部门职责' }],
    });
    // The request waits past JTJ's deadline: the item is overdue, in the database and the search attributes.
    await until(async () => (await attrs(s.h)).overdue === true, 30_000);
    expect((await item(s.id)).overdue).toBe(true);

    await jtj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true, newUnitId: JYJ }] });
    const jyj = s.unit(JYJ);
    await until(async () => !!(await jyj.query(unitStateQuery)));
    const fresh = (await jyj.query(unitStateQuery)).deadlineAt;
    // JTJ's part ended (re-assigned); JYJ's fresh part is not overdue: both clear.
    await until(async () => (await attrs(s.h)).overdue === false);
    expect((await attrs(s.h)).deadlineAt).toBe(fresh);
    expect((await item(s.id)).overdue).toBe(false);

    // JYJ started ≥ 10 s after the assignment: its 5 s extension would end past the 20 s cap counted
    // from the assignment (it used to count from JYJ's own start, so the re-assignment reset it).
    await jyj.executeUpdate(unitRequestUpdate, {
      args: [
        jyjHandler,
        { kind: 'extension', reason: '需跨部门协调', amount: { amount: 5, unit: 'seconds' } },
      ],
    });
    const decided = await jyj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true }] });
    expect(Date.parse(fresh) + 5000).toBeGreaterThan(new Date(assignedAt).getTime() + 20_000);
    expect(Date.parse(decided.deadlineAt)).toBeLessThanOrEqual(new Date(assignedAt).getTime() + 20_000);
    expect(Date.parse(decided.deadlineAt)).toBeLessThan(Date.parse(fresh) + 5000);
    // DeadlineAt follows the extension, as the item's deadline_at does.
    await until(async () => (await attrs(s.h)).deadlineAt === decided.deadlineAt);
    expect(new Date((await item(s.id)).deadline_at!).toISOString()).toBe(decided.deadlineAt);
  });

  it("a co-handler's late opinion ends its overdue part: the item is not overdue any more; DeputyIds holds every signer", async () => {
    const id = randomUUID();
    await env.ds.query(
      `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by) VALUES ($1, '关于增设学校周边护学岗的建议', '上下学高峰学校门口交通混乱,建议增设护学岗。', 'draft', $2, $3)`,
      [id, demoId('deputy:wang'), deputy.userId],
    );
    const input: SuggestionWorkflowInput = {
      version: 1,
      suggestionId: id,
      leadDeputyId: demoId('deputy:wang'),
      policyVersion: 'test-fast@1',
      submittedBy: deputy,
      cosignerDeputyIds: [demoId('deputy:li')],
    };
    const h = await env.client.workflow.start('suggestionWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `suggestion-${id}`,
      args: [input],
    });
    await until(async () => (await h.query(stateQuery)).status === 'submitted');
    expect((await attrs(h)).deputyIds.sort()).toEqual([demoId('deputy:wang'), demoId('deputy:li')].sort());
    await h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
    await h.executeUpdate(assignUpdate, {
      args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
    });
    const co = env.client.workflow.getHandle(`suggestion-${id}-unit-${JYJ}-r1`);
    await until(async () => !!(await co.query(unitStateQuery)));
    // The co-handler's opinion clock (5 s) runs out before the lead's reply clock (10 s).
    await until(async () => (await attrs(h)).overdue === true, 30_000);
    expect((await item(id)).overdue).toBe(true);
    await co.executeUpdate(signInUpdate, { args: [jyjHandler] });
    await co.executeUpdate(opinionUpdate, { args: [jyjHandler, { body: '同意主办单位意见' }] });
    // The late part has ended; the lead's part is within its deadline.
    await until(async () => (await attrs(h)).overdue === false);
    const lead = await env.client.workflow.getHandle(`suggestion-${id}-unit-${JTJ}-r1`).query(unitStateQuery);
    expect(lead.done).toBe(false);
    expect((await item(id)).overdue).toBe(false);
    // DeadlineAt is the lead's reply deadline (the part that answers the deputy), not the co-handler's.
    expect((await attrs(h)).deadlineAt).toBe(lead.deadlineAt);
  });

  it('届次: an item submitted during a congress session gets the after-session assignment clock, from the close', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const sessionId = randomUUID();
    await env.ds.query(
      `INSERT INTO congress_sessions (id, term, session, name, starts_on, ends_on) VALUES ($1, $2, 1, '测试届次', $3::date - 1, $3::date)`,
      [sessionId, 1000 + Math.floor(Math.random() * 1e6), today],
    );
    try {
      const during = await newSuggestion(env, { accept: true });
      // test-fast: 10 s after the session closes (the end of its last day, China time).
      const closes = Date.parse(`${today}T23:59:59.999+08:00`);
      await until(async () => !!(await during.h.query(stateQuery)).assignmentDeadline);
      expect(Date.parse((await during.h.query(stateQuery)).assignmentDeadline!)).toBe(closes + 10_000);
    } finally {
      await env.ds.query(`DELETE FROM congress_sessions WHERE id = $1`, [sessionId]);
    }
    // 闭会期间: the between-sessions clock from the acceptance (5 s in test-fast).
    const between = await newSuggestion(env, { accept: true });
    await until(async () => !!(await between.h.query(stateQuery)).assignmentDeadline);
    const [{ updated_at: acceptedAt }] = await env.ds.query(
      `SELECT updated_at FROM suggestions WHERE id = $1`,
      [between.id],
    );
    const deadline = Date.parse((await between.h.query(stateQuery)).assignmentDeadline!);
    expect(deadline).toBeLessThan(new Date(acceptedAt).getTime() + 10_000);
  });
});
