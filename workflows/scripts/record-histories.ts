/**
 * Records the workflow histories that workflows/test/replay.test.ts replays against the current
 * workflow code. Run from the repository root against the running dev stack (Temporal + PostgreSQL):
 *
 *   node_modules/.bin/tsx workflows/scripts/record-histories.ts [scenario ...]
 *
 * With scenario names, only those are recorded and the other files are kept (how a scenario of new
 * workflow code joins histories recorded from older code). It starts an in-process Worker on its own task queue (the same setup as the workflow integration
 * tests), drives a few representative suggestions to completion with the `test-fast@1` policy
 * (clocks of seconds, so every timer really fires), then fetches the history of each parent
 * `suggestion-<id>` and of each child `suggestion-<id>-unit-<unitId>-r<round>` and writes them to
 * workflows/test/histories/<name>.json, with index.json listing them. It takes about half a minute.
 *
 * It records the workflow code of the tree it runs in. To record the committed code while the
 * working tree holds unfinished workflow changes, run it from an export of HEAD instead
 * (`git archive HEAD | tar -x -C <dir>`, with the node_modules directories copied or linked in)
 * and copy the files back.
 *
 * Re-record only when the recorded behaviour itself should change (a new scenario, or a change that
 * is deliberately incompatible and for which no old execution can still be running). A change to
 * workflow logic that running executions would replay must be guarded with `patched()` instead, and
 * the old histories kept: they are what proves the old executions still replay.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { WorkCalendar, chinaDateOf, type Actor } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { config, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { createActivities } from '../src/activities';
import { createMessageActivities } from '../src/activities/message.activities';
import { assignmentMeetingWorkflow } from '../src/workflows/assignment-meeting.workflow';
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
import {
  assignUpdate,
  calendarChangedSignal,
  contactUpdate,
  decideRequestUpdate,
  draftReplyUpdate,
  followUpUpdate,
  keySupervisionUpdate,
  opinionUpdate,
  progressReportUpdate,
  rateUpdate,
  resubmitUpdate,
  reviewUpdate,
  sendBackReplyUpdate,
  sendReplyUpdate,
  signInUpdate,
  signOffUpdate,
  stateQuery,
  unitRequestUpdate,
  unitStateQuery,
  unitWorkflowId,
  withdrawUpdate,
  type SuggestionState,
  type SuggestionWorkflowInput,
} from '../src/workflows/suggestion.messages';

const OUT_DIR = path.resolve(__dirname, '../test/histories');
const WORKFLOWS_PATH = path.resolve(__dirname, '../src/workflows/index.ts');
const taskQueue = `record-histories-${randomUUID()}`;

const JTJ = demoId('unit:JTJ');
const JYJ = demoId('unit:JYJ');
const deputy: Actor = { userId: demoId('user:wangjianguo'), role: 'deputy', name: '王建国' };
const reviewer: Actor = { userId: demoId('user:reviewer'), role: 'reviewer', name: '赵敏' };
const jtjHandler: Actor = { userId: demoId('user:jtj.handler'), role: 'unit_handler', unitId: JTJ };
const jtjLeader: Actor = { userId: demoId('user:jtj.leader'), role: 'unit_leader', unitId: JTJ };
const jyjHandler: Actor = { userId: demoId('user:jyj.handler'), role: 'unit_handler', unitId: JYJ };
const jyjLeader: Actor = { userId: demoId('user:jyj.leader'), role: 'unit_leader', unitId: JYJ };
const unitLabel: Record<string, string> = { [JTJ]: 'jtj', [JYJ]: 'jyj' };

/** One history to write: the workflow (and run, when several share the id) to fetch and what it shows. */
interface Recorded {
  name: string;
  workflowId: string;
  runId?: string;
  workflowType:
    'suggestionWorkflow' | 'unitHandlingWorkflow' | 'messageWorkflow' | 'assignmentMeetingWorkflow';
  description: string;
}
/** An entry of histories/index.json. */
interface HistoryIndexEntry {
  file: string;
  workflowType: Recorded['workflowType'];
  workflowId: string;
  description: string;
}

let ds: DataSource;
let client: Client;
/** The calendar the activities read (a scenario may load a year, as an admin would). */
let calendarNow: WorkCalendar = seededWorkCalendar();

async function until(fn: () => Promise<boolean>, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

async function submitted(title: string, cosignerDeputyIds?: string[], policyVersion = 'test-fast@1') {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by) VALUES ($1, $2, '用于记录工作流历史的建议内容。', 'draft', $3, $4)`,
    [id, title, demoId('deputy:wang'), deputy.userId],
  );
  const input: SuggestionWorkflowInput = {
    version: 1,
    suggestionId: id,
    leadDeputyId: demoId('deputy:wang'),
    policyVersion,
    submittedBy: deputy,
    ...(cosignerDeputyIds ? { cosignerDeputyIds } : {}),
  };
  const h = await client.workflow.start('suggestionWorkflow', {
    taskQueue,
    workflowId: `suggestion-${id}`,
    args: [input],
  });
  await until(async () => (await h.query(stateQuery)).status === 'submitted', 'submitted');
  const status = async () =>
    (await ds.query(`SELECT status FROM suggestions WHERE id = $1`, [id]))[0].status as string;
  const events = async () =>
    (await ds.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id`, [id])) as {
      type: string;
      payload: any;
    }[];
  return { id, h, status, events };
}
const unit = (id: string, unitId: string, round = 1) =>
  client.workflow.getHandle(unitWorkflowId(id, unitId, round));
const unitRecord = (
  prefix: string,
  id: string,
  unitId: string,
  round: number,
  description: string,
): Recorded => ({
  name: `${prefix}.unit-${unitLabel[unitId]}-r${round}`,
  workflowId: unitWorkflowId(id, unitId, round),
  workflowType: 'unitHandlingWorkflow',
  description,
});

async function handleAndReply(h: WorkflowHandle, category: 'A' | 'B' = 'A') {
  await until(async () => !!(await h.query(unitStateQuery)), `unit ${h.workflowId} started`);
  await h.executeUpdate(signInUpdate, { args: [jtjHandler] });
  await h.executeUpdate(contactUpdate, {
    args: [jtjHandler, { contactedOn: '2026-11-20', form: '面商', summary: '与代表当面沟通办理思路' }],
  });
  await h.executeUpdate(draftReplyUpdate, {
    args: [
      jtjHandler,
      category === 'B'
        ? { category, body: '已列入明年计划', promisedDate: '2027-06-30' }
        : { category, body: '已划定停放区 120 处' },
    ],
  });
  await h.executeUpdate(signOffUpdate, { args: [jtjLeader] });
  await h.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
}

function expectFinal(final: SuggestionState, status: string, ratings: SuggestionState['ratings']) {
  if (final.status !== status || JSON.stringify(final.ratings) !== JSON.stringify(ratings)) {
    throw new Error(`unexpected final state: ${JSON.stringify(final)}`);
  }
}

/** (a) Pre-review: returned for revision, resubmitted, then not accepted (不予立案). */
async function prereviewReturnReject(): Promise<Recorded[]> {
  const s = await submitted('关于完善社区养老服务的建议');
  await s.h.executeUpdate(reviewUpdate, {
    args: [reviewer, { decision: 'return', comments: '请补充调研数据' }],
  });
  await s.h.executeUpdate(resubmitUpdate, { args: [deputy] });
  await s.h.executeUpdate(reviewUpdate, {
    args: [reviewer, { decision: 'reject', reason: '属于个人或家庭事务' }],
  });
  expectFinal(await s.h.result(), 'rejected', []);
  return [
    {
      name: 'prereview-return-reject',
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description: 'submit → return for revision → resubmit → reject (不予立案)',
    },
  ];
}

/** (b) Lead + co-handler, 不满意, re-handling by the lead on its own clock, 满意, closure and publication. */
async function leadCoRehandlingSatisfied(): Promise<Recorded[]> {
  const s = await submitted('关于规范共享单车停放的建议');
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await s.h.executeUpdate(assignUpdate, {
    args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
  });
  await until(async () => (await s.status()) === 'assigned', 'assigned');
  const lead = unit(s.id, JTJ);
  await until(async () => !!(await lead.query(unitStateQuery)), 'lead unit started');
  await lead.executeUpdate(signInUpdate, { args: [jtjHandler] });
  await until(async () => (await s.status()) === 'handling', 'handling');
  await lead.executeUpdate(draftReplyUpdate, { args: [jtjHandler, { category: 'A', body: '已划定停放区' }] });
  await lead.executeUpdate(contactUpdate, {
    args: [jtjHandler, { contactedOn: '2026-11-20', form: '面商', summary: '当面听取代表意见' }],
  });
  await lead.executeUpdate(signOffUpdate, { args: [jtjLeader] });
  const co = unit(s.id, JYJ);
  await co.executeUpdate(signInUpdate, { args: [jyjHandler] });
  await co.executeUpdate(opinionUpdate, { args: [jyjHandler, { body: '建议在学校周边优先设置停放区' }] });
  await lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
  await until(async () => (await s.status()) === 'replied', 'replied (round 1)');
  await s.h.executeUpdate(rateUpdate, {
    args: [deputy, { rating: 'unsatisfied', comment: '停放区数量不够' }],
  });
  await until(async () => (await s.status()) === 'rehandling', 'rehandling');
  await handleAndReply(unit(s.id, JTJ, 2));
  await until(
    async () => (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    'replied (round 2)',
  );
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied', comment: '问题已解决' }] });
  expectFinal(await s.h.result(), 'published', [
    { round: 1, rating: 'unsatisfied' },
    { round: 2, rating: 'satisfied' },
  ]);
  const p = 'lead-co-rehandling-satisfied';
  return [
    {
      name: p,
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'accept → assign 主办 JTJ + 协办 JYJ → reply → 不满意 → re-handling (round 2) → 满意 → closed → published',
    },
    unitRecord(
      p,
      s.id,
      JTJ,
      1,
      '主办 unit, round 1: sign-in (signals the parent), draft, contact, sign-off, reply',
    ),
    unitRecord(p, s.id, JYJ, 1, '协办 unit, round 1: sign-in, written opinion to the lead (opinion clock)'),
    unitRecord(
      p,
      s.id,
      JTJ,
      2,
      '主办 unit, round 2 on the re-handling clock: sign-in, contact, draft, sign-off, reply',
    ),
  ];
}

/** (c) 分办 to one unit that lets every mark fire (reminders, yellow, red), replies late; no rating → 未反馈. */
async function separateOverdueNoFeedback(): Promise<Recorded[]> {
  const s = await submitted('关于增设公交站台遮雨棚的建议');
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
  await until(
    async () =>
      (await s.events()).some((e) => e.type === 'suggestion.deadline' && e.payload.data.level === 'red'),
    'red warning',
    40_000,
  );
  await handleAndReply(unit(s.id, JTJ), 'B');
  expectFinal(await s.h.result(), 'published', [{ round: 1, rating: 'no_feedback' }]);
  const p = 'separate-overdue-no-feedback';
  return [
    {
      name: p,
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'accept → assign 分办 JTJ → late reply → no rating: 未反馈 on the evaluation timer → closed → published',
    },
    unitRecord(
      p,
      s.id,
      JTJ,
      1,
      '分办 unit that does nothing until reminders 50%/75%, yellow and red have fired, then replies (category B)',
    ),
  ];
}

/**
 * (d) Recorded with the `policy-at-acceptance` and `key-items` patches: key supervision before
 * assignment, a progress report, principal-leader sign-off, the reviewer sends the reply back
 * (退回重办, a second run of the unit's workflow), a co-signer's rating, then 满意 and publication.
 */
async function keySendBackCosigner(): Promise<Recorded[]> {
  const s = await submitted('关于治理学校周边交通拥堵的建议', [demoId('deputy:li')]);
  const chief: Actor = { ...jtjLeader, principal: true };
  const cosigner: Actor = {
    userId: demoId('user:lixiuying'),
    role: 'deputy',
    name: '李秀英',
    deputyId: demoId('deputy:li'),
  };
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await s.h.executeUpdate(keySupervisionUpdate, { args: [reviewer, {}] });
  await s.h.executeUpdate(assignUpdate, {
    args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }],
  });
  const lead = unit(s.id, JTJ);
  await until(async () => !!(await lead.query(unitStateQuery)), 'lead unit started');
  await lead.executeUpdate(signInUpdate, { args: [jtjHandler] });
  await until(async () => (await s.status()) === 'handling', 'handling');
  await s.h.executeUpdate(progressReportUpdate, {
    args: [jtjHandler, { unitId: JTJ, summary: '已完成现场勘查' }],
  });
  await lead.executeUpdate(contactUpdate, {
    args: [jtjHandler, { contactedOn: '2026-11-20', form: '面商', summary: '当面听取代表意见' }],
  });
  await lead.executeUpdate(draftReplyUpdate, { args: [jtjHandler, { category: 'A', body: '已增设护学岗' }] });
  await lead.executeUpdate(signOffUpdate, { args: [chief] });
  await lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
  await until(async () => (await s.status()) === 'replied', 'replied');
  const firstRun = (await lead.describe()).runId;
  await s.h.executeUpdate(sendBackReplyUpdate, {
    args: [reviewer, { unitId: JTJ, reason: '未答复拥堵治理的长效措施' }],
  });
  await until(async () => (await lead.describe()).runId !== firstRun, 'unit reopened');
  await lead.executeUpdate(draftReplyUpdate, {
    args: [jtjHandler, { category: 'B', body: '已列入明年计划', promisedDate: '2027-06-30' }],
  });
  await lead.executeUpdate(signOffUpdate, { args: [chief] });
  await lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
  await until(
    async () => (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    'replied again',
  );
  await s.h.executeUpdate(rateUpdate, { args: [cosigner, { rating: 'basically_satisfied' }] });
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
  await until(async () => (await s.status()) === 'published', 'published');
  // The B reply's follow-up is open until the unit reports; end it so the execution completes.
  await s.h.executeUpdate(followUpUpdate, {
    args: [jtjHandler, { unitId: JTJ, report: '已完成', final: true }],
  });
  expectFinal(await s.h.result(), 'published', [{ round: 1, rating: 'satisfied' }]);
  const p = 'key-sendback-cosigner';
  return [
    {
      name: p,
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'accept → key supervision → assign 主办 JTJ → progress report → reply → 退回重办 → reply again → co-signer rates → 满意 → published → follow-up',
    },
    {
      ...unitRecord(
        p,
        s.id,
        JTJ,
        1,
        '主办 unit on a key item, first run: sign-in, contact, draft, principal sign-off, reply (sent back afterwards)',
      ),
      name: `${p}.unit-jtj-r1-first`,
      runId: firstRun,
    },
    {
      ...unitRecord(
        p,
        s.id,
        JTJ,
        1,
        '主办 unit, second run after 退回重办: already signed in, redraft (B), principal sign-off, reply',
      ),
      name: `${p}.unit-jtj-r1-reopened`,
    },
  ];
}

/**
 * (e) Issue 9: returned, revised with new co-signers and resubmitted; converted reasons aside, the
 * assignment records its assigner and answers once assigned; the co-handler stays silent and its part
 * ends with the lead's reply (patches resubmit-revision, all-signers, assigner, close-co-parts,
 * rehandle-replying-units).
 */
async function reviseSilentCoRehandling(): Promise<Recorded[]> {
  const s = await submitted('关于优化学校周边交通组织的建议', [demoId('deputy:li')]);
  await s.h.executeUpdate(reviewUpdate, {
    args: [reviewer, { decision: 'return', comments: '请补充具体路段' }],
  });
  await s.h.executeUpdate(resubmitUpdate, {
    args: [deputy, { cosignerDeputyIds: [demoId('deputy:zhang')] }],
  });
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  const assigned = await s.h.executeUpdate(assignUpdate, {
    args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
  });
  if (assigned.status !== 'assigned') throw new Error(`assign answered ${assigned.status}`);
  await handleAndReply(unit(s.id, JTJ));
  await until(async () => (await s.status()) === 'replied', 'replied (round 1)');
  await until(async () => (await unit(s.id, JYJ).query(unitStateQuery)).closed === true, 'co part closed');
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'unsatisfied', comment: '还不够' }] });
  await until(async () => (await s.status()) === 'rehandling', 'rehandling');
  await handleAndReply(unit(s.id, JTJ, 2));
  await until(
    async () => (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    'replied (round 2)',
  );
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
  expectFinal(await s.h.result(), 'published', [
    { round: 1, rating: 'unsatisfied' },
    { round: 2, rating: 'satisfied' },
  ]);
  const p = 'issue9-revise-silent-co';
  return [
    {
      name: p,
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'return → resubmit with revised co-signers → accept → assign (answers assigned, assigner recorded) 主办 JTJ + silent 协办 JYJ → reply closes the co part → 不满意 → round 2 to JTJ → 满意 → published',
    },
    unitRecord(p, s.id, JTJ, 1, '主办 unit, round 1'),
    unitRecord(
      p,
      s.id,
      JYJ,
      1,
      '协办 unit that never signs in: its part is closed by the parent (closePart signal)',
    ),
    unitRecord(p, s.id, JTJ, 2, '主办 unit, round 2'),
  ];
}

/**
 * (f) Recorded with the `calendar-replan` patch: a unit's reply clock (national-default, 3 months)
 * counted into a year without official holidays; the admin loads that year (here: the calendar
 * the activities read is swapped for one where the deadline day is a holiday) and the workflow is
 * signalled: it re-plans, records `suggestion.deadline_replanned`, then the unit replies. Only the
 * unit's history is recorded (the parent waits weeks for the rating on this policy: terminated).
 */
async function calendarReplan(): Promise<Recorded[]> {
  const s = await submitted('关于春节期间公交加密班次的建议', undefined, 'national-default@2026.1');
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
  const h = unit(s.id, JTJ);
  await until(async () => !!(await h.query(unitStateQuery)), 'unit started');
  const deadlineAt = (await h.query(unitStateQuery)).deadlineAt;
  const day = chinaDateOf(Date.parse(deadlineAt));
  const base = seededWorkCalendar().toJSON();
  calendarNow = new WorkCalendar({ holidays: [...base.holidays, day], workdays: base.workdays });
  await h.signal(calendarChangedSignal, { years: [Number(day.slice(0, 4))] });
  await until(
    async () => (await s.events()).some((e) => e.type === 'suggestion.deadline_replanned'),
    'deadline re-planned',
  );
  await handleAndReply(h);
  await h.result();
  await s.h.terminate('recorded: only the unit history is kept');
  return [
    unitRecord(
      'calendar-replan',
      s.id,
      JTJ,
      1,
      '分办 unit on a 3-month clock; a loaded calendar year makes its deadline day a holiday: calendarChanged signal → re-planned deadline (suggestion.deadline_replanned) → reply',
    ),
  ];
}

/**
 * (issue 9, parent-calendar-replan) The item's own clocks follow a loaded calendar year, as the units'
 * do: under national-default (working-day clocks) the calendar the activities read gets one more
 * holiday inside each running clock and the parent is signalled (calendarChanged): the pre-review
 * clock, the assignment clock and the deputy's evaluation window are re-planned, each recorded as
 * `suggestion.deadline_replanned` (no unit, the clock named); then 满意 → closed → published.
 */
async function parentCalendarReplan(): Promise<Recorded[]> {
  const s = await submitted('关于节后错峰上学的建议', undefined, 'national-default@2026.1');
  const holidayAfter = async (kind: string, count: number) => {
    // One more holiday: the first working day after today (China time) on the calendar as it is now.
    const day = calendarNow.nextWorkingDay(chinaDateOf(Date.now()));
    const now = calendarNow.toJSON();
    calendarNow = new WorkCalendar({ ...now, holidays: [...now.holidays, day] });
    await s.h.signal(calendarChangedSignal, { years: [Number(day.slice(0, 4))] });
    await until(
      async () =>
        (await s.events()).filter(
          (e) => e.type === 'suggestion.deadline_replanned' && e.payload.data.clock === kind,
        ).length === count,
      `${kind} re-planned`,
    );
  };
  // The pre-review clock is planned just after the submission (not in the state): let it be planned first.
  await new Promise((r) => setTimeout(r, 2000));
  await holidayAfter('pre_review', 1);
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await until(async () => (await s.status()) === 'accepted', 'accepted');
  await until(async () => !!(await s.h.query(stateQuery)).assignmentDeadline, 'assignment clock');
  await holidayAfter('assignment', 1);
  await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
  await handleAndReply(unit(s.id, JTJ));
  await until(async () => (await s.status()) === 'replied', 'replied');
  await until(async () => !!(await s.h.query(stateQuery)).evaluationDeadline, 'evaluation window');
  await holidayAfter('evaluation', 1);
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
  expectFinal(await s.h.result(), 'published', [{ round: 1, rating: 'satisfied' }]);
  return [
    {
      name: 'parent-calendar-replan',
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'national-default: calendarChanged signals while the pre-review, assignment and evaluation clocks run (parent-calendar-replan): each re-planned and recorded as suggestion.deadline_replanned → 分办 JTJ reply → 满意 → published',
    },
    unitRecord(
      'parent-calendar-replan',
      s.id,
      JTJ,
      1,
      '分办 unit on a 3-month clock: sign-in, contact, draft, sign-off, reply',
    ),
  ];
}

/**
 * (issue 9, item clock) The assignment clock's reminder fires (step-clocks); 分办 JTJ asks for re-assignment
 * and goes overdue while it waits (Overdue search attribute); the reviewer re-assigns to JYJ (Overdue
 * clears, DeadlineAt follows); JYJ's extension is capped 20 s after the assignment (cap-from-assignment);
 * JYJ replies; 满意 → closed → published.
 */
async function itemClockReassignExtend(): Promise<Recorded[]> {
  const s = await submitted('关于优化学校周边交通组织的建议');
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await until(
    async () =>
      (await s.events()).some(
        (e) => e.type === 'suggestion.deadline' && e.payload.data.clock === 'assignment',
      ),
    'an assignment-clock reminder',
  );
  await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
  const jtj = unit(s.id, JTJ);
  await until(async () => !!(await jtj.query(unitStateQuery)), 'JTJ started');
  await jtj.executeUpdate(unitRequestUpdate, {
    args: [jtjHandler, { kind: 'reassignment', reason: '校车管理属教育部门职责' }],
  });
  await until(async () => (await jtj.query(unitStateQuery)).warnings.includes('red'), 'JTJ overdue');
  await jtj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true, newUnitId: JYJ }] });
  const jyj = unit(s.id, JYJ);
  await until(async () => !!(await jyj.query(unitStateQuery)), 'JYJ started');
  await jyj.executeUpdate(unitRequestUpdate, {
    args: [jyjHandler, { kind: 'extension', reason: '需跨部门协调', amount: { amount: 5, unit: 'seconds' } }],
  });
  await jyj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true }] });
  await jyj.executeUpdate(signInUpdate, { args: [jyjHandler] });
  await jyj.executeUpdate(contactUpdate, {
    args: [jyjHandler, { contactedOn: '2026-11-20', form: '电话', summary: '电话沟通办理思路' }],
  });
  await jyj.executeUpdate(draftReplyUpdate, { args: [jyjHandler, { category: 'A', body: '已增设护学岗' }] });
  await jyj.executeUpdate(signOffUpdate, { args: [jyjLeader] });
  await jyj.executeUpdate(sendReplyUpdate, { args: [jyjHandler] });
  await until(async () => (await s.status()) === 'replied', 'replied');
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied' }] });
  expectFinal(await s.h.result(), 'published', [{ round: 1, rating: 'satisfied' }]);
  return [
    {
      name: 'issue9-item-clock',
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'accept (assignment-clock reminder: step-clocks; session-assignment-clock) → 分办 JTJ → re-assignment to JYJ after JTJ went overdue (current-search-attributes: Overdue cleared, DeadlineAt follows) → JYJ extension capped from the assignment (cap-from-assignment) → reply → 满意 → published',
    },
    unitRecord(
      'issue9-item-clock',
      s.id,
      JTJ,
      1,
      '分办 unit: re-assignment request, red mark (reports overdue to the parent), re-assigned away',
    ),
    unitRecord(
      'issue9-item-clock',
      s.id,
      JYJ,
      1,
      'new unit after re-assignment: extension capped from the assignment (reports the moved deadline), sign-in, contact, draft, sign-off, reply',
    ),
  ];
}

// ---- constituent messages (一码通, workflow `message-<id>`) ----

const STATION = demoId('station:lc');
const wangDeputy: Actor = { ...deputy, deputyId: demoId('deputy:wang') };
const stationStaff: Actor = { userId: demoId('user:lc.staff'), role: 'station_staff', name: '钱蕾' };
const constituent: Actor = { userId: null, role: null, name: '群众' };

async function message() {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO messages (id, tracking_code, station_id, category, content, policy_version)
     VALUES ($1, $2, $3, 'transport', '用于记录工作流历史的群众留言内容。', 'test-fast@1')`,
    [id, `R${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`, STATION],
  );
  const input: MessageWorkflowInput = {
    version: 1,
    messageId: id,
    stationId: STATION,
    policyVersion: 'test-fast@1',
    deputyIds: [demoId('deputy:wang'), demoId('deputy:chen')],
    staffUserIds: [stationStaff.userId!],
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
  await until(async () => {
    const r: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND type = 'message.received'`,
      [id],
    );
    return r[0]!.n === 1;
  }, `${id} received`);
  return { id, h };
}
const completed = (h: WorkflowHandle) =>
  until(async () => (await h.describe()).status.name === 'COMPLETED', `${h.workflowId} completed`);

/** Claimed, forwarded to 交通局 whose clock passes its marks, answered by the unit, rated by the constituent. */
async function messageForwardRate(): Promise<Recorded[]> {
  const m = await message();
  await m.h.executeUpdate(claimMessageUpdate, { args: [wangDeputy] });
  await m.h.executeUpdate(forwardMessageUpdate, { args: [wangDeputy, { unitId: JTJ, note: '请核实' }] });
  await until(async () => {
    const r: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND type = 'message.deadline'`,
      [m.id],
    );
    return r[0]!.n >= 1;
  }, 'a deadline mark');
  await m.h.executeUpdate(answerMessageUpdate, { args: [jtjHandler, { answer: '已安排加装遮雨棚。' }] });
  await m.h.executeUpdate(rateMessageUpdate, { args: [constituent, { rating: 'satisfied', comment: null }] });
  await completed(m.h);
  return [
    {
      name: 'message-forward-rate',
      workflowId: m.h.workflowId,
      workflowType: 'messageWorkflow',
      description:
        'constituent message: claimed, forwarded to a unit (clock marks), answered by the unit, rated',
    },
  ];
}

/** Two messages: one turned into a new draft, the second linked to that suggestion (patched message-link-suggestion). */
async function messageLinkSuggestion(): Promise<Recorded[]> {
  const first = await message();
  await first.h.executeUpdate(claimMessageUpdate, { args: [wangDeputy] });
  const st = await first.h.executeUpdate(convertMessageUpdate, {
    args: [wangDeputy, { title: '关于完善公交站台遮雨设施的建议' }],
  });
  const second = await message();
  await second.h.executeUpdate(claimMessageUpdate, { args: [wangDeputy] });
  await second.h.executeUpdate(convertMessageUpdate, {
    args: [wangDeputy, { title: '', suggestionId: st.suggestionId! }],
  });
  await Promise.all([completed(first.h), completed(second.h)]);
  return [
    {
      name: 'message-link-suggestion.draft',
      workflowId: first.h.workflowId,
      workflowType: 'messageWorkflow',
      description: 'constituent message claimed and turned into a new suggestion draft',
    },
    {
      name: 'message-link-suggestion.linked',
      workflowId: second.h.workflowId,
      workflowType: 'messageWorkflow',
      description:
        'constituent message claimed and linked to an existing suggestion (patched message-link-suggestion)',
    },
  ];
}

/** A waiting message merged as a duplicate by the station's staff (patched message-merge). */
async function messageMerge(): Promise<Recorded[]> {
  const keep = await message();
  const dup = await message();
  await dup.h.executeUpdate(mergeMessageUpdate, {
    args: [stationStaff, { intoMessageId: keep.id, reason: '重复' }],
  });
  await completed(dup.h);
  await keep.h.terminate('recording: only the merged message is kept');
  return [
    {
      name: 'message-merge',
      workflowId: dup.h.workflowId,
      workflowType: 'messageWorkflow',
      description:
        'constituent message merged as a duplicate while waiting to be claimed (patched message-merge)',
    },
  ];
}

/**
 * The item's own clocks before assignment reach the projection (patch `item-clock-projection`): the
 * pre-review deadline at submission, again at resubmission and when a loaded year re-plans it, then
 * the assignment deadline at acceptance and at its re-plan; withdrawn before assignment.
 */
async function itemClockProjection(): Promise<Recorded[]> {
  const s = await submitted('关于老旧小区加装电梯补贴的建议', undefined, 'national-default@2026.1');
  const projected = async () =>
    ((await ds.query(`SELECT deadline_at FROM suggestions WHERE id = $1`, [s.id]))[0]
      ?.deadline_at as Date | null) ?? null;
  const replan = async (kind: string) => {
    const day = calendarNow.nextWorkingDay(chinaDateOf(Date.now()));
    const now = calendarNow.toJSON();
    calendarNow = new WorkCalendar({ ...now, holidays: [...now.holidays, day] });
    const before = (await projected())?.getTime();
    await s.h.signal(calendarChangedSignal, { years: [Number(day.slice(0, 4))] });
    await until(async () => (await projected())?.getTime() !== before, `${kind} re-plan projected`);
  };
  await until(async () => (await projected()) !== null, 'pre-review deadline projected');
  await replan('pre_review');
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'return', comments: '请补充测算' }] });
  await s.h.executeUpdate(resubmitUpdate, { args: [deputy] });
  await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await until(
    async () =>
      (await s.status()) === 'accepted' &&
      (await projected())?.getTime() === Date.parse((await s.h.query(stateQuery)).assignmentDeadline ?? ''),
    'assignment deadline projected',
  );
  await replan('assignment');
  await s.h.executeUpdate(withdrawUpdate, { args: [deputy] });
  expectFinal(await s.h.result(), 'withdrawn', []);
  return [
    {
      name: 'item-clock-projection',
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'national-default: the pre-review and assignment deadlines written to the projection when each clock starts and when a loaded year re-plans it (item-clock-projection): submit → re-plan → return → resubmit → accept → re-plan → withdraw',
    },
  ];
}

/**
 * (issue 13) 交办会 as one batch: two accepted items, one already withdrawn from the meeting's view; the
 * batch writes both assignments in one transaction and signals the items, which adopt them (patch
 * `assignment-written`) and start their units on the batch's clocks (patch `preplanned-clock`); the lead
 * replies with the co-handler's opinion, 满意, published.
 */
/** Two accepted items, the second withdrawn; a 交办会 of both: the first written, the second refused. */
async function meetingOfTwo(titleA: string, titleB: string) {
  const a = await submitted(titleA);
  const b = await submitted(titleB);
  for (const s of [a, b]) await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  await b.h.executeUpdate(withdrawUpdate, { args: [deputy] });
  const meeting = await client.workflow.start(assignmentMeetingWorkflow, {
    taskQueue,
    workflowId: `assignment-meeting-record-${randomUUID()}`,
    args: [
      {
        actor: reviewer,
        items: [a, b].map((s) => ({
          suggestionId: s.id,
          assignment: { mode: 'lead' as const, leadUnitId: JTJ, coUnitIds: [JYJ] },
        })),
        requestHash: 'record-histories',
      },
    ],
  });
  const outcome = await meeting.result();
  if (outcome.assigned.join() !== a.id || outcome.refused[0]?.suggestionId !== b.id)
    throw new Error(`unexpected meeting outcome: ${JSON.stringify(outcome)}`);
  return { a, meeting };
}

async function assignmentMeeting(): Promise<Recorded[]> {
  const { a, meeting } = await meetingOfTwo('关于建设城市慢行系统的建议', '关于增加学校周边护学岗的建议');
  const lead = unit(a.id, JTJ);
  await until(async () => !!(await lead.query(unitStateQuery)), 'lead unit started');
  await lead.executeUpdate(signInUpdate, { args: [jtjHandler] });
  await until(async () => (await a.status()) === 'handling', 'handling');
  const co = unit(a.id, JYJ);
  await co.executeUpdate(signInUpdate, { args: [jyjHandler] });
  await co.executeUpdate(opinionUpdate, { args: [jyjHandler, { body: '建议结合学校上下学时段设置' }] });
  await lead.executeUpdate(contactUpdate, {
    args: [jtjHandler, { contactedOn: '2026-11-20', form: '电话', summary: '电话听取代表意见' }],
  });
  await lead.executeUpdate(draftReplyUpdate, {
    args: [jtjHandler, { category: 'A', body: '已建成慢行道 12 公里' }],
  });
  await lead.executeUpdate(signOffUpdate, { args: [jtjLeader] });
  await lead.executeUpdate(sendReplyUpdate, { args: [jtjHandler] });
  await until(async () => (await a.status()) === 'replied', 'replied');
  await a.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied', comment: '满意' }] });
  expectFinal(await a.h.result(), 'published', [{ round: 1, rating: 'satisfied' }]);
  const p = 'assignment-meeting';
  return [
    {
      name: p,
      workflowId: meeting.workflowId,
      workflowType: 'assignmentMeetingWorkflow',
      description:
        '交办会 batch: one assignMany activity (one written, one refused: withdrawn), then the signal to the written item',
    },
    {
      name: `${p}.item`,
      workflowId: a.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'accept → assignment written by the 交办会 (signal, adopted) → reply → 满意 → closed → published',
    },
    unitRecord(
      p,
      a.id,
      JTJ,
      1,
      '主办 unit started with the clock the 交办会 planned (no planning activities): sign-in, contact, draft, sign-off, reply',
    ),
    unitRecord(p, a.id, JYJ, 1, '协办 unit started with the planned opinion clock: sign-in, opinion'),
  ];
}

/**
 * (issue 13) 交办会 whose items are told by one activity (`tellAssignments`, patch `tell-by-activity`):
 * one accepted item written and told, one withdrawn and refused. Only the batch is kept (the item's and
 * units' histories are those of `assignment-meeting`); the item is ended after.
 */
async function assignmentMeetingTold(): Promise<Recorded[]> {
  const { a, meeting } = await meetingOfTwo('关于完善社区养老服务站的建议', '关于规范共享单车停放的建议');
  await until(async () => !!(await unit(a.id, JTJ).query(unitStateQuery)), 'lead unit started');
  await a.h.terminate('recorded: only the batch history is kept');
  return [
    {
      name: 'assignment-meeting-told',
      workflowId: meeting.workflowId,
      workflowType: 'assignmentMeetingWorkflow',
      description:
        '交办会 batch (patch tell-by-activity): assignMany (one written, one refused: withdrawn), then one tellAssignments activity',
    },
  ];
}

/**
 * (issue 13) The short activities as local activities (patch `local-steps`): 受理 in one transaction
 * (acceptStep), then 主办 + 协办 through every unit step, 满意, closure and publication.
 */
async function localSteps(): Promise<Recorded[]> {
  const s = await submitted('关于优化学校周边交通组织的建议');
  const accepted = await s.h.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
  if (!accepted.registrationNo) throw new Error('accepted without a registration number');
  await s.h.executeUpdate(assignUpdate, {
    args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
  });
  const co = unit(s.id, JYJ);
  await until(async () => !!(await co.query(unitStateQuery)), 'co unit started');
  await co.executeUpdate(signInUpdate, { args: [jyjHandler] });
  await co.executeUpdate(opinionUpdate, { args: [jyjHandler, { body: '建议错峰放学并增设护学岗' }] });
  await handleAndReply(unit(s.id, JTJ));
  await until(
    async () => (await s.status()) === 'replied' && (await s.h.query(stateQuery)).evaluationDeadline !== null,
    'replied',
  );
  await s.h.executeUpdate(rateUpdate, { args: [deputy, { rating: 'satisfied', comment: '答复具体可行' }] });
  expectFinal(await s.h.result(), 'published', [{ round: 1, rating: 'satisfied' }]);
  const p = 'local-steps';
  return [
    {
      name: `${p}.item`,
      workflowId: s.h.workflowId,
      workflowType: 'suggestionWorkflow',
      description:
        'local activities (patch local-steps): submit → accept in one transaction (acceptStep) → assign 主办 JTJ + 协办 JYJ → reply → 满意 → closed → published',
    },
    unitRecord(p, s.id, JTJ, 1, '主办 unit with local activities: sign-in, contact, draft, sign-off, reply'),
    unitRecord(p, s.id, JYJ, 1, '协办 unit with local activities: sign-in, written opinion'),
  ];
}

const scenarios: Record<string, () => Promise<Recorded[]>> = {
  'local-steps': localSteps,
  'assignment-meeting-told': assignmentMeetingTold,
  'item-clock-projection': itemClockProjection,
  'assignment-meeting': assignmentMeeting,
  'message-forward-rate': messageForwardRate,
  'message-link-suggestion': messageLinkSuggestion,
  'message-merge': messageMerge,
  'issue9-item-clock': itemClockReassignExtend,
  'issue9-revise-silent-co': reviseSilentCoRehandling,
  'calendar-replan': calendarReplan,
  'parent-calendar-replan': parentCalendarReplan,
  'prereview-return-reject': prereviewReturnReject,
  'lead-co-rehandling-satisfied': leadCoRehandlingSatisfied,
  'separate-overdue-no-feedback': separateOverdueNoFeedback,
  'key-sendback-cosigner': keySendBackCosigner,
};

/**
 * The SDK's proto-JSON (the format of `temporal workflow show --output json`, read back by
 * `historyFromJSON`), one event per line instead of indented: about a third smaller, and a
 * re-recording still diffs event by event.
 */
function oneEventPerLine(json: string): string {
  const { events } = JSON.parse(json) as { events: unknown[] };
  return `{"events": [\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  ds = await openDataSource();
  const connection = await Connection.connect({ address: config.temporal.address });
  client = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: {
      ...createActivities({ ds, policies: loadPolicyRegistry(), calendar: async () => calendarNow }),
      ...createMessageActivities({ ds }),
    },
  });
  try {
    // With scenario names as arguments, only those are recorded (added to or replacing their own
    // files): how a scenario for new workflow code joins the histories recorded from older code.
    const only = process.argv.slice(2);
    for (const n of only)
      if (!scenarios[n])
        throw new Error(`unknown scenario ${n}; known: ${Object.keys(scenarios).join(', ')}`);
    const chosen = only.length ? only : Object.keys(scenarios);
    const recorded = await worker.runUntil(async () =>
      (await Promise.all(chosen.map((n) => scenarios[n]!()))).flat(),
    );

    mkdirSync(OUT_DIR, { recursive: true });
    let index: HistoryIndexEntry[] = [];
    if (only.length) {
      // Keep every other scenario's files; replace this scenario's.
      index = (
        JSON.parse(readFileSync(path.join(OUT_DIR, 'index.json'), 'utf8')) as HistoryIndexEntry[]
      ).filter((e) => !only.some((n) => e.file.startsWith(`${n}.`)));
      for (const f of readdirSync(OUT_DIR))
        if (only.some((n) => f.startsWith(`${n}.`))) rmSync(path.join(OUT_DIR, f));
    } else {
      // Replace the whole set, so a scenario that is dropped here does not leave a stale file behind.
      for (const f of readdirSync(OUT_DIR)) if (f.endsWith('.json')) rmSync(path.join(OUT_DIR, f));
    }
    for (const r of recorded) {
      const history = await client.workflow.getHandle(r.workflowId, r.runId).fetchHistory();
      const events = history.events ?? [];
      const type = events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      if (type !== r.workflowType)
        throw new Error(`${r.workflowId}: expected ${r.workflowType}, the history starts ${type}`);
      if (!events.at(-1)?.workflowExecutionCompletedEventAttributes)
        throw new Error(`${r.workflowId}: the execution has not completed`);
      const file = `${r.name}.json`;
      writeFileSync(path.join(OUT_DIR, file), oneEventPerLine(historyToJSON(history)));
      index.push({
        file,
        workflowType: r.workflowType,
        workflowId: r.workflowId,
        description: r.description,
      });
      console.log(`${file}: ${events.length} events`);
    }
    writeFileSync(path.join(OUT_DIR, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    console.log(`wrote ${index.length} histories to ${path.relative(process.cwd(), OUT_DIR)}`);
  } finally {
    await workerConnection.close();
    await connection.close();
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
