import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reviewUpdate,
  assignUpdate,
  consultationUpdate,
  contactUpdate,
  followUpUpdate,
  draftReplyUpdate,
  opinionUpdate,
  rateUpdate,
  sendReplyUpdate,
  signInUpdate,
  signOffUpdate,
  stateQuery,
  unitStateQuery,
} from '../src/workflows/suggestion.messages';
import {
  deputy,
  handleAndReply,
  JTJ,
  jtjHandler,
  jtjLeader,
  JYJ,
  jyjHandler,
  newSuggestion,
  refusal,
  reviewer,
  startTestWorker,
  until,
  type TestEnv,
} from './support';

// The lifecycle after acceptance on real Temporal and PostgreSQL, with the `test-fast@1` policy
// whose clocks are seconds long, so every timer (reminders, yellow, red, evaluation timeout) really fires.
let env: TestEnv;
const accepted = () => newSuggestion(env, { accept: true });

describe('suggestion lifecycle after acceptance', () => {
  beforeAll(async () => {
    env = await startTestWorker();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('lead + co-handler, a 不满意, re-handling, a second 不满意, consultation, closure and publication', async () => {
    const s = await accepted();
    expect(
      await refusal(
        s.h.executeUpdate(assignUpdate, {
          args: [deputy, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
        }),
      ),
    ).toBe('Forbidden');
    await s.h.executeUpdate(assignUpdate, {
      args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
    });
    await until(async () => (await s.status()) === 'assigned');
    const lead = s.unit(JTJ);
    await until(async () => !!(await lead.query(unitStateQuery)));

    // Refusals before anything is written: wrong unit, no sign-in, no contact, no sign-off, wrong role to sign.
    expect(await refusal(lead.executeUpdate(signInUpdate, { args: [jyjHandler] }))).toBe('Forbidden');
    expect(
      await refusal(
        lead.executeUpdate(contactUpdate, {
          args: [jtjHandler, { contactedOn: '2026-11-20', form: '电话', summary: 'x' }],
        }),
      ),
    ).toBe('WrongState');
    await lead.executeUpdate(signInUpdate, { args: [jtjHandler] });
    await until(async () => (await s.status()) === 'handling');
    await lead.executeUpdate(draftReplyUpdate, {
      args: [jtjHandler, { category: 'A', body: '已划定停放区' }],
    });
    expect(await refusal(lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] }))).toBe('WrongState'); // no contact
    await lead.executeUpdate(contactUpdate, {
      args: [jtjHandler, { contactedOn: '2026-11-20', form: '面商', summary: '当面听取代表意见' }],
    });
    expect(await refusal(lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] }))).toBe('WrongState'); // no sign-off
    expect(await refusal(lead.executeUpdate(signOffUpdate, { args: [jtjHandler] }))).toBe('Forbidden'); // handler cannot sign
    expect(
      await refusal(
        lead.executeUpdate(draftReplyUpdate, { args: [jtjHandler, { category: 'B', body: '列入计划' }] }),
      ),
    ).toBe('WrongState'); // B needs a date
    await lead.executeUpdate(signOffUpdate, { args: [jtjLeader] });

    // The co-handler sends its opinion to the lead; it never replies to the deputy.
    const co = s.unit(JYJ);
    await co.executeUpdate(signInUpdate, { args: [jyjHandler] });
    expect(
      await refusal(co.executeUpdate(draftReplyUpdate, { args: [jyjHandler, { category: 'A', body: 'x' }] })),
    ).toBe('WrongState');
    await co.executeUpdate(opinionUpdate, { args: [jyjHandler, { body: '建议在学校周边优先设置停放区' }] });

    await lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
    await until(async () => (await s.status()) === 'replied');
    expect(await refusal(s.h.executeUpdate(rateUpdate, { args: [reviewer, { rating: 'satisfied' }] }))).toBe(
      'Forbidden',
    );
    await s.h.executeUpdate(rateUpdate, {
      args: [deputy, { rating: 'unsatisfied', comment: '停放区数量不够' }],
    });
    await until(async () => (await s.status()) === 'rehandling');

    // Round 2 runs on its own clock; only the lead handles again.
    await handleAndReply(s.unit(JTJ, 2));
    await until(
      async () =>
        (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    );
    expect(
      await refusal(s.h.executeUpdate(consultationUpdate, { args: [reviewer, { summary: '过早' }] })),
    ).toBe('WrongState');
    await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'unsatisfied' }] });
    await until(async () => (await s.h.query(stateQuery)).ratings.length === 2);
    expect(await s.status()).toBe('replied'); // waits for the consultation
    await s.h.executeUpdate(consultationUpdate, {
      args: [reviewer, { summary: '2026年11月28日与代表当面协商,明确分步实施计划' }],
    });
    expect((await s.h.result()).status).toBe('published');

    expect(await s.status()).toBe('published');
    const rows = async (sql: string) => env.ds.query(sql, [s.id]);
    expect(
      await rows(
        `SELECT unit_id, role, round, status FROM assignments WHERE suggestion_id = $1 ORDER BY round, role DESC`,
      ),
    ).toEqual([
      { unit_id: JTJ, role: 'lead', round: 1, status: 'replied' },
      { unit_id: JYJ, role: 'co', round: 1, status: 'opinion_sent' },
      { unit_id: JTJ, role: 'lead', round: 2, status: 'replied' },
    ]);
    expect(
      await rows(`SELECT round, rating FROM evaluations WHERE suggestion_id = $1 ORDER BY round`),
    ).toEqual([
      { round: 1, rating: 'unsatisfied' },
      { round: 2, rating: 'unsatisfied' },
    ]);
    const replies = await rows(
      `SELECT kind, round, category, signed_by IS NOT NULL AS signed, sent_at IS NOT NULL AS sent FROM replies WHERE suggestion_id = $1 ORDER BY round, kind`,
    );
    expect(replies).toEqual([
      { kind: 'opinion', round: 1, category: null, signed: false, sent: true },
      { kind: 'reply', round: 1, category: 'A', signed: true, sent: true },
      { kind: 'reply', round: 2, category: 'A', signed: true, sent: true },
    ]);
    const statusEvents = (await s.events()).map((e) => e.type).filter((t) => t !== 'suggestion.deadline');
    expect(statusEvents).toEqual([
      'suggestion.submitted',
      'suggestion.accepted',
      'suggestion.assigned',
      'suggestion.signed_in',
      'suggestion.handling_started',
      'suggestion.reply_drafted',
      'suggestion.contact_logged',
      'suggestion.reply_signed',
      'suggestion.signed_in',
      'suggestion.opinion_sent',
      'suggestion.reply_sent',
      'suggestion.replied',
      'suggestion.rated',
      'suggestion.rehandling',
      'suggestion.signed_in',
      'suggestion.contact_logged',
      'suggestion.reply_drafted',
      'suggestion.reply_signed',
      'suggestion.reply_sent',
      'suggestion.replied',
      'suggestion.rated',
      'suggestion.consultation_recorded',
      'suggestion.closed',
      'suggestion.published',
    ]);
  });

  it('a unit that does nothing gets reminders at 50% and 75%, a yellow and a red warning, in that order', async () => {
    const s = await accepted();
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await until(
      async () =>
        (await s.events()).some((e) => e.type === 'suggestion.deadline' && e.payload.data.level === 'red'),
      25_000,
    );
    const marks = (await s.events())
      .filter((e) => e.type === 'suggestion.deadline' && e.payload.data.clock === 'reply')
      .map((e) => `${e.payload.data.level}${e.payload.data.fraction ?? ''}`);
    expect(marks).toEqual(['reminder0.5', 'reminder0.75', 'yellow', 'red']);
    // The unit can still reply after the deadline; the warnings stop once it has.
    await handleAndReply(s.unit(JTJ), jtjHandler, jtjLeader, 'B');
    await until(async () => (await s.status()) === 'replied');
  });

  it('records 未反馈 when the deputy does not rate within the window, then closes and publishes', async () => {
    const s = await accepted();
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await until(async () => (await s.status()) === 'assigned');
    await handleAndReply(s.unit(JTJ));
    const final = await s.h.result();
    expect(final.ratings).toEqual([{ round: 1, rating: 'no_feedback' }]);
    expect(await s.status()).toBe('published');
    // The deputy was reminded on the evaluation clock first; its deadline records 未反馈, not a red warning.
    const evaluationMarks = (await s.events())
      .filter((e) => e.type === 'suggestion.deadline' && e.payload.data.clock === 'evaluation')
      .map((e) => `${e.payload.data.level}${e.payload.data.fraction ?? ''}`);
    expect(evaluationMarks.sort()).toEqual(['reminder0.5', 'reminder0.75', 'yellow']);
    expect(
      await env.ds.query(`SELECT rating, rated_by FROM evaluations WHERE suggestion_id = $1`, [s.id]),
    ).toEqual([{ rating: 'no_feedback', rated_by: null }]);
  });

  it("runs the reviewer's clocks too: pre-review from each submission, assignment from acceptance; each stops when the step is done", async () => {
    const s = await newSuggestion(env);
    const marks = async (clock: string) =>
      (await s.events())
        .filter((e) => e.type === 'suggestion.deadline' && e.payload.data.clock === clock)
        .map((e) => `${e.payload.data.level}${e.payload.data.fraction ?? ''}`);
    // Nobody reviews within the 5 s pre-review time of test-fast@1: reminders, yellow, then red.
    await until(async () => (await marks('pre_review')).includes('red'), 20_000);
    // (In 5 s the yellow "last 2 s" begins before the 75% reminder: the marks come in time order.)
    expect((await marks('pre_review')).sort()).toEqual(['red', 'reminder0.5', 'reminder0.75', 'yellow']);
    expect((await marks('pre_review')).at(-1)).toBe('red');
    await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
    // Assigned at once: the assignment clock stops before its first mark; the pre-review clock said nothing more.
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await marks('assignment')).toEqual([]);
    expect(await marks('pre_review')).toHaveLength(4);
    const red = (await s.events()).find(
      (e) =>
        e.type === 'suggestion.deadline' &&
        e.payload.data.clock === 'pre_review' &&
        e.payload.data.level === 'red',
    )!;
    expect(red.payload.data).toMatchObject({ unitId: null, from: 'submitted', to: 'submitted' });
  });

  it('follows up a B reply on its promised date until the unit reports a final result (跟踪办理)', async () => {
    const s = await accepted();
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await handleAndReply(s.unit(JTJ), jtjHandler, jtjLeader, 'B', '2026-01-01'); // a date already past: due at once
    await until(async () => (await s.status()) === 'replied');
    await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'basically_satisfied' }] });
    await until(async () => (await s.events()).some((e) => e.type === 'suggestion.follow_up_due'));
    expect(await s.status()).toBe('published');
    expect(
      await refusal(
        s.h.executeUpdate(followUpUpdate, {
          args: [jyjHandler, { unitId: JTJ, report: '不是本单位', final: true }],
        }),
      ),
    ).toBe('Forbidden');
    await s.h.executeUpdate(followUpUpdate, {
      args: [jtjHandler, { unitId: JTJ, report: '已完成一期工程', final: false }],
    });
    await s.h.executeUpdate(followUpUpdate, {
      args: [jtjHandler, { unitId: JTJ, report: '全部完成,代表已知悉', final: true }],
    });
    const final = await s.h.result();
    expect(final.followUps).toEqual([{ unitId: JTJ, promisedDate: '2026-01-01', due: true, done: true }]);
    const types = (await s.events()).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('suggestion.follow_up'))).toEqual([
      'suggestion.follow_up_due',
      'suggestion.follow_up_reported',
      'suggestion.follow_up_reported',
    ]);
  });
});
