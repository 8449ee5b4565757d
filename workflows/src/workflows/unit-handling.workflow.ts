/**
 * One unit's handling of one suggestion in one round (child of the suggestion workflow): sign-in
 * (签收), the contact log (沟通), the reply draft, the leader's sign-off (签发) and sending (答复);
 * for a co-handler (协办) its written opinion to the lead. Its deadline runs as durable timers.
 */
import { condition, getExternalWorkflowHandle, setHandler, uuid4 } from '@temporalio/workflow';
import type { Actor, SuggestionEvent } from '@jianyi/domain';
import type { Effect } from '../activities/effects';
import { acts, forbidden, makeEvent, runClock, SYSTEM, wrongState } from './steps';
import {
  contactUpdate, draftReplyUpdate, opinionUpdate, sendReplyUpdate, signInUpdate, signOffUpdate, unitSignedInSignal, unitStateQuery,
  type ReplyDraft, type UnitHandlingInput, type UnitResult, type UnitState,
} from './suggestion.messages';

const CONTACT_FORMS = ['面商', '电话', '座谈', '视察', '走访', '其他'];

export async function unitHandlingWorkflow(input: UnitHandlingInput): Promise<UnitResult> {
  const state: UnitState = {
    unitId: input.unitId, role: input.role, round: input.round, signedIn: false, contacts: 0,
    draft: null, signedOff: false, done: false, deadlineAt: input.deadlineAt, warnings: [],
  };
  const replies = input.role !== 'co';
  let busy = false;
  const step = async (actor: Actor, type: SuggestionEvent['type'], extra: Record<string, unknown>, effects: Effect[]) => {
    busy = true;
    try {
      await acts.applyStep({ suggestionId: input.suggestionId, event: makeEvent(type, input, actor, '', '', { unitId: input.unitId, ...extra }), effects });
    } finally {
      busy = false;
    }
  };

  /** Every human step: the actor must be of this unit, the step open, nothing else in flight. */
  const guard = (actor: Actor, roles: string[], opts: { needSignIn?: boolean; replyOnly?: boolean; coOnly?: boolean } = {}) => {
    if (!actor.role || !roles.includes(actor.role)) throw forbidden('角色无权执行此操作', `role "${actor.role}" may not do this`);
    if (actor.unitId !== input.unitId) throw forbidden('只能办理本单位的建议', 'only this unit may act on its assignment');
    if (state.done) throw wrongState('本单位已办理完毕', 'this unit has finished');
    if (busy) throw wrongState('另一操作正在进行', 'another action is in progress');
    if (opts.needSignIn && !state.signedIn) throw wrongState('请先签收', 'sign in first');
    if (opts.replyOnly && !replies) throw wrongState('协办单位不直接答复代表', 'a co-handler sends its opinion to the lead unit, not a reply');
    if (opts.coOnly && replies) throw wrongState('只有协办单位提交协办意见', 'only a co-handler sends an opinion');
  };
  const handlers = ['unit_handler', 'unit_leader'];

  setHandler(unitStateQuery, () => state);
  setHandler(signInUpdate, async (actor) => {
    await step(actor, 'suggestion.signed_in', {}, [{ kind: 'sign_in', unitId: input.unitId, round: input.round }]);
    state.signedIn = true;
    await getExternalWorkflowHandle(input.parentWorkflowId).signal(unitSignedInSignal, input.unitId);
    return state;
  }, { validator: (actor) => { guard(actor, handlers); if (state.signedIn) throw wrongState('已签收', 'already signed in'); } });

  setHandler(contactUpdate, async (actor, c) => {
    await step(actor, 'suggestion.contact_logged', { form: c.form, contactedOn: c.contactedOn },
      [{ kind: 'contact', id: uuid4(), unitId: input.unitId, contactedOn: c.contactedOn, form: c.form, summary: c.summary, by: actor.userId }]);
    state.contacts += 1;
    return state;
  }, { validator: (actor, c) => {
    guard(actor, handlers, { needSignIn: true });
    if (!CONTACT_FORMS.includes(c.form)) throw wrongState(`沟通方式须为 ${CONTACT_FORMS.join('/')}`, `form must be one of ${CONTACT_FORMS.join(', ')}`);
  } });

  setHandler(draftReplyUpdate, async (actor, d: ReplyDraft) => {
    await step(actor, 'suggestion.reply_drafted', { round: input.round, category: d.category }, [
      { kind: 'draft', id: uuid4(), unitId: input.unitId, round: input.round, reply: 'reply', category: d.category, body: d.body, promisedDate: d.promisedDate ?? null, explanation: d.explanation ?? null, by: actor.userId },
    ]);
    state.draft = d;
    state.signedOff = false;
    return state;
  }, { validator: (actor, d) => {
    guard(actor, handlers, { needSignIn: true, replyOnly: true });
    if (d.category === 'B' && !d.promisedDate) throw wrongState('B 类答复须写明承诺解决时间', 'a category B reply needs a promised date');
    if (d.category === 'C' && !d.explanation && !d.promisedDate) throw wrongState('C 类答复须说明原因或承诺时间', 'a category C reply needs an explanation or a promised date');
  } });

  setHandler(signOffUpdate, async (actor) => {
    await step(actor, 'suggestion.reply_signed', { round: input.round }, [{ kind: 'sign_off', unitId: input.unitId, round: input.round, by: actor.userId }]);
    state.signedOff = true;
    return state;
  }, { validator: (actor) => {
    guard(actor, ['unit_leader'], { needSignIn: true, replyOnly: true });
    if (!state.draft) throw wrongState('尚无答复草稿', 'there is no reply draft to sign');
  } });

  setHandler(sendReplyUpdate, async (actor) => {
    await step(actor, 'suggestion.reply_sent', { round: input.round, category: state.draft!.category }, [{ kind: 'send', unitId: input.unitId, round: input.round, reply: 'reply' }]);
    state.done = true;
    return state;
  }, { validator: (actor) => {
    guard(actor, handlers, { needSignIn: true, replyOnly: true });
    if (!state.draft) throw wrongState('尚无答复草稿', 'there is no reply draft');
    if (state.contacts === 0) throw wrongState('答复前须至少与代表沟通一次', 'at least one logged contact with the deputy is required before replying');
    if (!state.signedOff) throw wrongState('答复须经单位负责人签发', 'the unit leader must sign the reply off first');
  } });

  setHandler(opinionUpdate, async (actor, o) => {
    await step(actor, 'suggestion.opinion_sent', {}, [
      { kind: 'draft', id: uuid4(), unitId: input.unitId, round: input.round, reply: 'opinion', category: null, body: o.body, promisedDate: null, explanation: null, by: actor.userId },
      { kind: 'send', unitId: input.unitId, round: input.round, reply: 'opinion' },
    ]);
    state.done = true;
    return state;
  }, { validator: (actor, _o) => guard(actor, handlers, { needSignIn: true, coOnly: true }) });

  const plan = await acts.planClock(input.policyVersion, input.clock, input.startedAt);
  await runClock(plan, () => state.done, async (mark) => {
    state.warnings.push(mark.level === 'reminder' ? `reminder-${mark.fraction}` : mark.level);
    await acts.applyStep({
      suggestionId: input.suggestionId,
      event: makeEvent('suggestion.deadline', input, SYSTEM, '', '', {
        clock: input.clock === 'coHandlerOpinion' ? 'opinion' : input.clock, level: mark.level, fraction: mark.fraction, unitId: input.unitId, deadlineAt: plan.deadlineAt,
      }),
    });
  });
  await condition(() => state.done && !busy);
  return { unitId: input.unitId, role: input.role, category: state.draft?.category ?? null };
}
