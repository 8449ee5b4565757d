import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@jianyi/domain';
import { demoId } from '@jianyi/platform/src/db/seed';
import {
  assignUpdate,
  contactUpdate,
  draftReplyUpdate,
  keySupervisionUpdate,
  progressReportUpdate,
  rateUpdate,
  reviewUpdate,
  sendBackReplyUpdate,
  sendReplyUpdate,
  signInUpdate,
  signOffUpdate,
  stateQuery,
  unitStateQuery,
  withholdPublicationUpdate,
  type SuggestionWorkflowInput,
} from '../src/workflows/suggestion.messages';
import {
  deputy,
  handleAndReply,
  JTJ,
  jtjHandler,
  jtjLeader,
  JYJ,
  newSuggestion,
  refusal,
  reviewer,
  startTestWorker,
  supervisor,
  until,
  type TestEnv,
} from './support';

// The steps around the reply that process.md asks for beyond the main line, on real Temporal and
// PostgreSQL with the seconds-long `test-fast@1` policy: 退回重办 by the reviewer, principal-leader
// sign-off on key items, monthly (here: 5 s) progress reports on key items, co-signers' ratings,
// and the policy version an item keeps from its acceptance.
let env: TestEnv;
const jtjChief: Actor = { ...jtjLeader, principal: true }; // 局长, 主要负责人
const cosigner: Actor = {
  userId: demoId('user:lixiuying'),
  role: 'deputy',
  name: '李秀英',
  deputyId: demoId('deputy:li'),
};
const leadDeputy: Actor = { ...deputy, deputyId: demoId('deputy:wang') };

async function assignedToJtj() {
  const s = await newSuggestion(env, { accept: true });
  await s.h.executeUpdate(assignUpdate, {
    args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }],
  });
  await until(async () => !!(await s.unit(JTJ).query(unitStateQuery)));
  return s;
}
const types = async (s: { events: () => Promise<{ type: string; payload: any }[]> }) =>
  (await s.events()).map((e) => e.type);

describe('reply review, key items, co-signers and the policy version', () => {
  beforeAll(async () => {
    env = await startTestWorker();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('退回重办: the reviewer sends a reply back before it is rated; the unit redrafts, signs off and sends again', async () => {
    const s = await assignedToJtj();
    await handleAndReply(s.unit(JTJ));
    await until(async () => (await s.status()) === 'replied');
    const firstRun = (await s.unit(JTJ).describe()).runId;

    // Refused before anything is written: a deputy, a supervisor, a unit that has no reply here.
    expect(
      await refusal(
        s.h.executeUpdate(sendBackReplyUpdate, { args: [deputy, { unitId: JTJ, reason: '答非所问' }] }),
      ),
    ).toBe('Forbidden');
    expect(
      await refusal(
        s.h.executeUpdate(sendBackReplyUpdate, { args: [supervisor, { unitId: JTJ, reason: '答非所问' }] }),
      ),
    ).toBe('Forbidden');
    expect(
      await refusal(
        s.h.executeUpdate(sendBackReplyUpdate, { args: [reviewer, { unitId: JYJ, reason: '答非所问' }] }),
      ),
    ).toBe('WrongState');
    expect(await types(s)).not.toContain('suggestion.reply_returned');

    await s.h.executeUpdate(sendBackReplyUpdate, {
      args: [reviewer, { unitId: JTJ, reason: '答复未回应代表提出的盲道占用问题' }],
    });
    expect(await s.status()).toBe('handling');
    const returned = (await s.events()).find((e) => e.type === 'suggestion.reply_returned')!;
    expect(returned.payload.data).toMatchObject({
      from: 'replied',
      to: 'handling',
      unitId: JTJ,
      round: 1,
      reason: '答复未回应代表提出的盲道占用问题',
    });
    const [ret] = await env.ds.query(
      `SELECT reason, previous_category, previous_body FROM reply_returns WHERE suggestion_id = $1`,
      [s.id],
    );
    expect(ret).toMatchObject({ previous_category: 'A', previous_body: '已划定停放区 120 处' });
    const [reopened] = await env.ds.query(
      `SELECT sent_at, signed_at FROM replies WHERE suggestion_id = $1 AND kind = 'reply'`,
      [s.id],
    );
    expect(reopened).toEqual({ sent_at: null, signed_at: null });
    // The deputy cannot rate a reply that was sent back.
    expect(await refusal(s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] }))).toBe(
      'WrongState',
    );

    // The same unit handles again in a new run of its workflow: already signed in, its contact counts; a new sign-off is needed.
    const unit = s.unit(JTJ);
    await until(
      async () => (await unit.describe()).runId !== firstRun && (await unit.query(unitStateQuery)).signedIn,
    );
    expect((await unit.query(unitStateQuery)).contacts).toBe(1);
    await unit.executeUpdate(draftReplyUpdate, {
      args: [jtjHandler, { category: 'A', body: '已清理盲道上的共享单车,并设置隔离桩 300 个。' }],
    });
    expect(await refusal(unit.executeUpdate(sendReplyUpdate, { args: [jtjHandler] }))).toBe('WrongState'); // not signed off yet
    await unit.executeUpdate(signOffUpdate, { args: [jtjLeader] });
    await unit.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
    await until(
      async () =>
        (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    );
    await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
    await until(async () => (await s.status()) === 'published');
    const [sent] = await env.ds.query(
      `SELECT body, sent_at FROM replies WHERE suggestion_id = $1 AND kind = 'reply'`,
      [s.id],
    );
    expect(sent.body).toContain('隔离桩');
    expect(sent.sent_at).not.toBeNull();
    const t = await types(s);
    expect(t.filter((x) => x === 'suggestion.replied')).toHaveLength(2);
    expect(t.filter((x) => x === 'suggestion.reply_sent')).toHaveLength(2);
  });

  it('a reply on a key item needs the principal leader (主要负责人) to sign, whether key supervision came before or after assignment', async () => {
    // Set before assignment: the unit's workflow starts as a key item.
    const early = await newSuggestion(env, { accept: true });
    await early.h.executeUpdate(keySupervisionUpdate, { args: [supervisor, {}] });
    await early.h.executeUpdate(assignUpdate, {
      args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }],
    });
    // Set after the unit has drafted: the parent tells the running unit workflow.
    const late = await assignedToJtj();
    for (const s of [early, late]) {
      const unit = s.unit(JTJ);
      await until(async () => !!(await unit.query(unitStateQuery)));
      await unit.executeUpdate(signInUpdate, { args: [jtjHandler] });
      await unit.executeUpdate(contactUpdate, {
        args: [jtjHandler, { contactedOn: '2026-11-20', form: '座谈', summary: '召开座谈会听取代表意见' }],
      });
      await unit.executeUpdate(draftReplyUpdate, {
        args: [jtjHandler, { category: 'A', body: '已完成整治' }],
      });
    }
    await late.h.executeUpdate(keySupervisionUpdate, { args: [supervisor, {}] });
    for (const s of [early, late]) {
      const unit = s.unit(JTJ);
      expect(await refusal(unit.executeUpdate(signOffUpdate, { args: [jtjLeader] }))).toBe('Forbidden');
      expect((await unit.query(unitStateQuery)).signedOff).toBe(false);
      await unit.executeUpdate(signOffUpdate, { args: [jtjChief] });
      expect((await unit.query(unitStateQuery)).signedOff).toBe(true);
    }
    // An ordinary item is signed by any unit leader (policy signOff.normal = unit_leader).
    const ordinary = await assignedToJtj();
    await handleAndReply(ordinary.unit(JTJ), jtjHandler, jtjLeader);
    await until(async () => (await ordinary.status()) === 'replied');
  });

  it('key items: each period the handling unit reports progress once; a unit that did not report is named when the period ends', async () => {
    const s = await assignedToJtj();
    await s.unit(JTJ).executeUpdate(signInUpdate, { args: [jtjHandler] });
    // Not a key item yet: nothing to report.
    expect(
      await refusal(
        s.h.executeUpdate(progressReportUpdate, { args: [jtjHandler, { unitId: JTJ, summary: '进展' }] }),
      ),
    ).toBe('WrongState');
    await s.h.executeUpdate(keySupervisionUpdate, {
      args: [supervisor, { supervisingLeaderId: demoId('user:supervisor') }],
    });
    await until(async () => (await s.h.query(stateQuery)).progress?.period === 1);
    expect(
      await refusal(
        s.h.executeUpdate(progressReportUpdate, { args: [jtjHandler, { unitId: JYJ, summary: '进展' }] }),
      ),
    ).toBe('Forbidden');
    await s.h.executeUpdate(progressReportUpdate, {
      args: [jtjHandler, { unitId: JTJ, summary: '已完成点位排查 86 处,正在设计隔离设施。' }],
    });
    expect(
      await refusal(
        s.h.executeUpdate(progressReportUpdate, { args: [jtjHandler, { unitId: JTJ, summary: '重复' }] }),
      ),
    ).toBe('WrongState');
    const [row] = await env.ds.query(
      `SELECT period, summary FROM progress_reports WHERE suggestion_id = $1`,
      [s.id],
    );
    expect(row).toEqual({ period: 1, summary: '已完成点位排查 86 处,正在设计隔离设施。' });

    // Period 1 ends (5 s) with JTJ's report in: no notice. Period 2 ends without one: JTJ is named.
    await until(async () => (await types(s)).includes('suggestion.progress_report_due'), 30_000);
    const due = (await s.events()).filter((e) => e.type === 'suggestion.progress_report_due');
    expect(due).toHaveLength(1);
    expect(due[0]!.payload.data).toMatchObject({ period: 2, unitIds: [JTJ] });
    expect((await s.events()).filter((e) => e.type === 'suggestion.progress_reported')).toHaveLength(1);
  });

  it("co-signers (联名代表) rate too; their ratings are recorded and the lead deputy's rating decides", async () => {
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
      submittedBy: leadDeputy,
      cosignerDeputyIds: [demoId('deputy:li')],
    };
    const h = await env.client.workflow.start('suggestionWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `suggestion-${id}`,
      args: [input],
    });
    await until(async () => (await h.query(stateQuery)).status === 'submitted');
    await h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
    await h.executeUpdate(assignUpdate, {
      args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }],
    });
    // A co-signer cannot rate before there is a reply.
    expect(await refusal(h.executeUpdate(rateUpdate, { args: [cosigner, { rating: 'satisfied' }] }))).toBe(
      'WrongState',
    );
    await handleAndReply(env.client.workflow.getHandle(`suggestion-${id}-unit-${JTJ}-r1`));
    await until(async () => (await h.query(stateQuery)).status === 'replied');

    await h.executeUpdate(rateUpdate, {
      args: [cosigner, { rating: 'basically_satisfied', comment: '基本解决' }],
    });
    expect(await refusal(h.executeUpdate(rateUpdate, { args: [cosigner, { rating: 'satisfied' }] }))).toBe(
      'WrongState',
    ); // once per round
    expect((await h.query(stateQuery)).status).toBe('replied'); // the co-signer's rating does not close the item
    await h.executeUpdate(rateUpdate, { args: [leadDeputy, { rating: 'satisfied' }] });
    await until(async () => (await h.query(stateQuery)).status === 'published');

    const co = await env.ds.query(
      `SELECT deputy_id, rating, comment FROM cosigner_evaluations WHERE suggestion_id = $1`,
      [id],
    );
    expect(co).toEqual([
      { deputy_id: demoId('deputy:li'), rating: 'basically_satisfied', comment: '基本解决' },
    ]);
    const lead = await env.ds.query(`SELECT round, rating FROM evaluations WHERE suggestion_id = $1`, [id]);
    expect(lead).toEqual([{ round: 1, rating: 'satisfied' }]);
    const rated = await env.ds.query(
      `SELECT payload FROM outbox WHERE aggregate_id = $1 AND type = 'suggestion.rated' ORDER BY id`,
      [id],
    );
    expect(
      rated.map((r: { payload: any }) => [r.payload.actor.deputyId, r.payload.data.cosigner ?? false]),
    ).toEqual([
      [demoId('deputy:li'), true],
      [demoId('deputy:wang'), false],
    ]);
  });

  it('不予公开: the reviewer marks an item confidential (or the lead deputy objects) before closure; it closes unpublished', async () => {
    const s = await assignedToJtj();
    expect(
      await refusal(s.h.executeUpdate(withholdPublicationUpdate, { args: [supervisor, { reason: '涉密' }] })),
    ).toBe('Forbidden');
    expect(
      await refusal(
        s.h.executeUpdate(withholdPublicationUpdate, { args: [cosigner, { reason: '不同意公开' }] }),
      ),
    ).toBe('Forbidden');
    await s.h.executeUpdate(withholdPublicationUpdate, {
      args: [reviewer, { reason: '涉及尚未公开的规划信息' }],
    });
    expect(
      await refusal(s.h.executeUpdate(withholdPublicationUpdate, { args: [deputy, { reason: '重复' }] })),
    ).toBe('WrongState');
    await handleAndReply(s.unit(JTJ));
    await until(
      async () =>
        (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    );
    await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
    const final = await s.h.result();
    expect(final.status).toBe('closed');
    expect(final.publicationWithheld).toEqual({ kind: 'confidential', reason: '涉及尚未公开的规划信息' });
    const t = await types(s);
    expect(t).toContain('suggestion.publication_withheld');
    expect(t).toContain('suggestion.closed');
    expect(t).not.toContain('suggestion.published');
    const [row] = await env.ds.query(`SELECT status, confidential FROM suggestions WHERE id = $1`, [s.id]);
    expect(row).toEqual({ status: 'closed', confidential: true });

    // The lead deputy's objection, with reasons, has the same effect; after closure it is too late.
    const other = await assignedToJtj();
    await other.h.executeUpdate(withholdPublicationUpdate, { args: [deputy, { reason: '涉及个人隐私' }] });
    expect((await other.h.query(stateQuery)).publicationWithheld).toEqual({
      kind: 'objection',
      reason: '涉及个人隐私',
    });
    const done = await newSuggestion(env, { accept: true });
    await done.h.executeUpdate(assignUpdate, {
      args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }],
    });
    await handleAndReply(done.unit(JTJ), jtjHandler, jtjLeader, 'B'); // a B reply: the workflow stays open for its follow-up
    await until(
      async () =>
        (await done.status()) === 'replied' && (await done.h.query(stateQuery)).evaluationDeadline !== null,
    );
    await done.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
    await until(async () => (await done.status()) === 'published');
    expect(
      await refusal(
        done.h.executeUpdate(withholdPublicationUpdate, { args: [reviewer, { reason: '太晚' }] }),
      ),
    ).toBe('WrongState');
  });

  it('an item keeps the policy in force when it was accepted, not the one it was submitted under', async () => {
    const s = await newSuggestion(env, { policyVersion: 'national-default@2026.1' });
    // The admin puts another policy in force after the submission, before the acceptance.
    const [choice] = await env.ds.query(
      `INSERT INTO policy_choices (policy_key) VALUES ('city-x@2026.1') RETURNING id`,
    );
    try {
      await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
      const events = await s.events();
      expect(events.find((e) => e.type === 'suggestion.submitted')!.payload.policyVersion).toBe(
        'national-default@2026.1',
      );
      expect(events.find((e) => e.type === 'suggestion.accepted')!.payload.policyVersion).toBe(
        'city-x@2026.1',
      );
      const [row] = await env.ds.query(`SELECT policy_version FROM suggestions WHERE id = $1`, [s.id]);
      expect(row.policy_version).toBe('city-x@2026.1');
      // Later steps and clocks run under the kept version.
      await s.h.executeUpdate(assignUpdate, {
        args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }],
      });
      await until(async () => (await s.events()).some((e) => e.type === 'suggestion.assigned'));
      expect((await s.events()).find((e) => e.type === 'suggestion.assigned')!.payload.policyVersion).toBe(
        'city-x@2026.1',
      );
      await until(async () => (await s.unit(JTJ).query(unitStateQuery)).deadlineAt !== null);
    } finally {
      await env.ds.query(`DELETE FROM policy_choices WHERE id = $1`, [choice.id]);
    }
    // A test-only policy named at submission is never replaced (tests pin it).
    const pinned = await newSuggestion(env);
    const [c2] = await env.ds.query(
      `INSERT INTO policy_choices (policy_key) VALUES ('city-x@2026.1') RETURNING id`,
    );
    try {
      await pinned.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
      expect(
        (await pinned.events()).find((e) => e.type === 'suggestion.accepted')!.payload.policyVersion,
      ).toBe('test-fast@1');
    } finally {
      await env.ds.query(`DELETE FROM policy_choices WHERE id = $1`, [c2.id]);
    }
  });
});
