/**
 * The rules of the process (process.md) in one place: "may this actor do this action on this item in
 * its present state, and if not, why not". The workflows' update validators, the API (its own checks
 * and the `allowedActions` of an item) and the pages (which buttons to show) all ask `decide()`.
 *
 * A decision is made in a fixed order, so the same refusal comes back wherever it is asked:
 *   1. the actor's role may never take this step            → 403 (`role`)
 *   2. the role may, but not on this item (not the lead
 *      deputy, not the assigned unit, not a co-signer …)   → 403 (`not_yours`)
 *   3. the item (or the unit's part) is not in a state that
 *      allows the step                                      → 409 (`state`), with the field at fault if any
 * `transition()` (machine.ts) still says which status a status-changing step leads to.
 */
import type { Role } from '../roles';
import type { SuggestionStatus } from '../status';

// ---- role sets, defined once ----

/** Who may take each kind of step, before any per-item check (ownership, unit, state). */
export const roleSets = {
  /** 人大代表: drafts, submits, co-signs, rates. */
  deputies: ['deputy'],
  /** 代表工委: pre-review (预审), 退回重办, confidentiality (涉密). */
  reviewers: ['reviewer'],
  /** 交办: the reviewer, the coordinator for government matters. */
  assigners: ['reviewer', 'coordinator'],
  /**
   * The decision on a unit's request (申请调整 / 延期): the reviewer (process.md steps 4 and 6, "the
   * reviewer decides", "reviewer approves"). Government matters are not modelled, so the coordinator's
   * share of them is not either.
   */
  requestDeciders: ['reviewer'],
  /**
   * 催办: coordinators and supervisors at any time (process.md); the reviewer too, a deliberate
   * difference: the 代表工委 chases the units in practice.
   */
  urgers: ['reviewer', 'coordinator', 'supervisor'],
  /** 重点督办: picked by the chair's council, recorded by the reviewer or a supervisor. */
  keySetters: ['reviewer', 'supervisor'],
  /** 优秀建议: the reviewer (代表工委) or a supervisor names a replied or closed item excellent. */
  excellentMarkers: ['reviewer', 'supervisor'],
  /** 当面协商 after a second 不满意: recorded by the reviewer or the coordinator. */
  consultationRecorders: ['reviewer', 'coordinator'],
  /** 承办单位: its handlers and leaders act on the unit's part. */
  unitStaff: ['unit_handler', 'unit_leader'],
  /** 签发: a unit leader (the principal leader for key items, by policy). */
  signers: ['unit_leader'],
  /** 审计: who reads the audit log (the administrator, and supervisors who watch the process). */
  auditors: ['admin', 'supervisor'],
  /** Who oversees every item (lists, statistics, supervision). */
  overseers: ['reviewer', 'coordinator', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export const inRoleSet = (set: keyof typeof roleSets, role: string | null | undefined): boolean =>
  !!role && (roleSets[set] as readonly string[]).includes(role);

// ---- statuses, grouped as the process speaks of them ----

/** 撤回: at any time before assignment (process.md step 1); a draft has not entered the process yet. */
export const withdrawableStatuses: readonly SuggestionStatus[] = ['submitted', 'returned', 'accepted'];
/** The units are at work (交办 until every replying unit has replied). */
export const handlingStatuses: readonly SuggestionStatus[] = ['assigned', 'handling', 'rehandling'];
/**
 * 催办 "at any time": every open status after submission up to closure, where someone holds a running
 * clock (the reviewer in pre-review and assignment, the units while they handle, the lead deputy while
 * an evaluation is awaited). `returned` is with the deputy, on no clock: nothing to urge.
 */
export const urgeStatuses: readonly SuggestionStatus[] = [
  'submitted',
  'accepted',
  'assigned',
  'handling',
  'rehandling',
  'replied',
];
/** Who an urge (催办) is addressed to: whoever holds the running clock in this status. */
export type UrgeAddressee = 'reviewer' | 'units' | 'deputy';
export function urgeAddressee(status: SuggestionStatus, awaitingConsultation = false): UrgeAddressee | null {
  if (status === 'submitted' || status === 'accepted') return 'reviewer';
  if ((handlingStatuses as readonly string[]).includes(status)) return 'units';
  if (status === 'replied') return awaitingConsultation ? 'reviewer' : 'deputy';
  return null;
}
/** 优秀建议: an item is named excellent once it is replied (the units' work is done) or closed. */
export const excellentStatuses: readonly SuggestionStatus[] = ['replied', 'closed', 'published'];
/** 重点督办 can be set once the item is accepted and until it is replied. */
export const keySupervisionStatuses: readonly SuggestionStatus[] = ['accepted', ...handlingStatuses];
/** 不予公开 can be decided from acceptance until closure. */
export const withholdStatuses: readonly SuggestionStatus[] = ['accepted', ...handlingStatuses, 'replied'];

// ---- actions ----

/** Steps on the item (the parent workflow, or the API before it). */
export const itemActions = [
  'edit', // 修改草稿 / 退回修改后修改
  'submit', // 提交
  'withdraw', // 撤回
  'resubmit', // 重新提交
  'review_accept', // 立案
  'review_return', // 退回修改
  'review_reject', // 不予立案
  'review_convert', // 转来信处理
  'review_merge', // 并案
  'assign', // 交办
  'decide_request', // 审批申请调整 / 延期
  'urge', // 催办
  'key_supervision', // 重点督办
  'withhold_publication', // 不予公开
  'mark_excellent', // 评为优秀建议
  'rate', // 满意度测评
  'consultation', // 当面协商记录
  'reply_return', // 退回重办
  'follow_up', // 跟踪办理
  'progress_report', // 重点督办进展报告
  'close', // 办结 (system)
  'publish', // 答复公开 (system)
] as const;
/** Steps on one unit's part (the unit's child workflow). */
export const unitActions = [
  'sign_in', // 签收
  'contact', // 沟通记录
  'draft_reply', // 答复草稿
  'sign_off', // 签发
  'send_reply', // 答复
  'opinion', // 协办意见
  'request_reassignment', // 申请调整
  'request_extension', // 申请延期
] as const;
export type ItemAction = (typeof itemActions)[number];
export type UnitAction = (typeof unitActions)[number];
export type RuleAction = ItemAction | UnitAction;
export const ruleActions: readonly RuleAction[] = [...itemActions, ...unitActions];

export const actionLabels: Record<RuleAction, { zh: string; en: string }> = {
  edit: { zh: '修改', en: 'edit' },
  submit: { zh: '提交', en: 'submit' },
  withdraw: { zh: '撤回', en: 'withdraw' },
  resubmit: { zh: '重新提交', en: 'resubmit' },
  review_accept: { zh: '立案', en: 'accept' },
  review_return: { zh: '退回修改', en: 'return for revision' },
  review_reject: { zh: '不予立案', en: 'not accept' },
  review_convert: { zh: '转来信处理', en: 'convert to a letter' },
  review_merge: { zh: '并案', en: 'merge' },
  assign: { zh: '交办', en: 'assign' },
  decide_request: { zh: '审批申请', en: 'decide a request' },
  urge: { zh: '催办', en: 'urge' },
  key_supervision: { zh: '重点督办', en: 'set key supervision' },
  withhold_publication: { zh: '不予公开', en: 'withhold publication' },
  mark_excellent: { zh: '评为优秀建议', en: 'name an excellent suggestion' },
  rate: { zh: '满意度测评', en: 'rate the reply' },
  consultation: { zh: '记录当面协商', en: 'record the consultation' },
  reply_return: { zh: '退回重办', en: 'send the reply back' },
  follow_up: { zh: '跟踪办理报告', en: 'report on the follow-up' },
  progress_report: { zh: '报送办理进展', en: 'report progress' },
  close: { zh: '办结', en: 'close' },
  publish: { zh: '答复公开', en: 'publish' },
  sign_in: { zh: '签收', en: 'sign in' },
  contact: { zh: '记录沟通', en: 'log a contact' },
  draft_reply: { zh: '起草答复', en: 'draft the reply' },
  sign_off: { zh: '签发', en: 'sign off' },
  send_reply: { zh: '答复代表', en: 'send the reply' },
  opinion: { zh: '提交协办意见', en: 'send the opinion' },
  request_reassignment: { zh: '申请调整', en: 'ask for re-assignment' },
  request_extension: { zh: '申请延期', en: 'ask for an extension' },
};

// ---- input: who acts, on what ----

export interface RuleActor {
  role: Role | string | null;
  userId?: string | null;
  unitId?: string | null;
  deputyId?: string | null;
  /** 主要负责人 of the actor's unit. */
  principal?: boolean;
}

/** One unit's part of the current round, as the unit's workflow (or the assignments table) knows it. */
export interface PartFacts {
  unitId: string;
  role: 'lead' | 'co' | 'separate';
  signedIn: boolean;
  /** The reply or opinion was sent, or the part was re-assigned away. */
  done: boolean;
  /** A co-handler's part that ended with the lead's reply. */
  closed?: boolean;
  hasDraft: boolean;
  signedOff: boolean;
  contacts: number;
  pendingRequest: boolean;
  /** Another step of this part is being written. */
  busy?: boolean;
}

export interface ItemFacts {
  /** Absent when the caller knows only the unit's part (the unit's workflow). */
  status?: SuggestionStatus;
  /** The actor is the lead deputy (领衔代表) of the item. */
  isLeadDeputy?: boolean;
  /** The actor is a co-signer (联名代表) or follows the item after a merge. */
  isCosigner?: boolean;
  round?: number;
  assigned?: boolean;
  keySupervision?: boolean;
  publicationWithheld?: boolean;
  /** 优秀建议: the item is already named excellent. */
  excellent?: boolean;
  /** The lead deputy's rating of the current round is in (or being recorded). */
  ratedThisRound?: boolean;
  /** The co-signer acting has rated this round. */
  cosignerRatedThisRound?: boolean;
  /** A reply of this round is being sent back (退回重办). */
  replyReturnPending?: boolean;
  /** A second 不满意 is in and the consultation is not recorded yet. */
  awaitingConsultation?: boolean;
  /** The units handling the item now (any role) and those that reply (lead or 分办). */
  handlingUnitIds?: string[];
  replyingUnitIds?: string[];
  /** Some unit has a request waiting for a decision. */
  pendingRequest?: boolean;
  /** Units with an open 跟踪办理 (B/C reply after closure). */
  followUpUnitIds?: string[];
  /** 重点督办 progress reporting runs and these units have reported in the current period. */
  progressOpen?: boolean;
  progressReportedUnitIds?: string[];
  /** The actor's unit's part (unit steps). */
  part?: PartFacts | null;
  /** The sign-off rule of the item's policy: who signs for this item now. */
  signOffBy?: 'unit_leader' | 'principal_leader';
}

/** Input that a rule looks at (only what decides allowed or not; shape checks are the API's). */
export interface ActionInput {
  /** merge: the surviving item; the item's own id. */
  intoSuggestionId?: string;
  suggestionId?: string;
  /** assign / urge / reply_return / follow_up / progress_report: the unit(s) concerned. */
  unitIds?: string[];
  unitId?: string;
  /** draft_reply */
  category?: 'A' | 'B' | 'C' | 'D';
  promisedDate?: string;
  explanation?: string;
  /** decide_request: the request decided, the decision and, for a re-assignment, the new unit. */
  requestKind?: 'reassignment' | 'extension';
  approve?: boolean;
  newUnitId?: string;
  /** The unit whose part this is and the other units of its round. */
  siblingUnitIds?: string[];
  ownUnitId?: string;
}

export interface Reason {
  zh: string;
  en: string;
}
export type Decision =
  | { ok: true }
  | {
      ok: false;
      status: 403 | 409;
      code: 'role' | 'not_yours' | 'state';
      reason: Reason;
      /** The input field at fault, when a field is. */
      field?: string;
    };

const ALLOW: Decision = { ok: true };
const role = (zh: string, en: string): Decision => ({
  ok: false,
  status: 403,
  code: 'role',
  reason: { zh, en },
});
const notYours = (zh: string, en: string): Decision => ({
  ok: false,
  status: 403,
  code: 'not_yours',
  reason: { zh, en },
});
const state = (zh: string, en: string, field?: string): Decision => ({
  ok: false,
  status: 409,
  code: 'state',
  reason: { zh, en },
  ...(field ? { field } : {}),
});
const inStatus = (facts: ItemFacts, list: readonly SuggestionStatus[]) =>
  facts.status === undefined || list.includes(facts.status);
const wrongStatus = (facts: ItemFacts, action: RuleAction): Decision =>
  state(
    `当前状态「${facts.status}」下不能${actionLabels[action].zh}`,
    `cannot ${actionLabels[action].en} in status "${facts.status}"`,
  );

const SYSTEM_ONLY = new Set<RuleAction>(['close', 'publish']);

/** The rule of one action: role first (403), then whose item (403), then state (409). */
export function decide(
  action: RuleAction,
  actor: RuleActor,
  facts: ItemFacts,
  input: ActionInput = {},
): Decision {
  if (SYSTEM_ONLY.has(action))
    return role(
      `「${actionLabels[action].zh}」由系统完成`,
      `"${actionLabels[action].en}" is done by the system`,
    );
  if ((unitActions as readonly string[]).includes(action))
    return decideUnit(action as UnitAction, actor, facts, input);
  const r = actor.role;
  const lead = facts.isLeadDeputy === true;
  switch (action as ItemAction) {
    case 'edit':
    case 'submit':
    case 'resubmit':
    case 'withdraw': {
      if (!inRoleSet('deputies', r)) return role('只有人大代表可以执行此操作', 'only deputies do this');
      if (!lead) return notYours('只有领衔代表可以执行此操作', 'only the lead deputy may do this');
      const when: Record<string, readonly SuggestionStatus[]> = {
        edit: ['draft', 'returned'],
        submit: ['draft'],
        resubmit: ['returned'],
        withdraw: withdrawableStatuses,
      };
      if (!inStatus(facts, when[action]!)) {
        if (action === 'edit')
          return state(
            '已提交的建议不能再修改(仅草稿或退回修改的建议可修改)',
            'only a draft or a returned suggestion can be edited',
          );
        if (action === 'withdraw')
          return facts.status === 'draft'
            ? state('草稿尚未提交,无需撤回', 'a draft has not been submitted; nothing to withdraw')
            : state('交办后不能撤回', 'a suggestion can be withdrawn only before it is assigned');
        return wrongStatus(facts, action);
      }
      return ALLOW;
    }
    case 'review_accept':
    case 'review_return':
    case 'review_reject':
    case 'review_convert':
    case 'review_merge': {
      if (!inRoleSet('reviewers', r)) return role('只有代表工委可以审查', 'only the reviewer pre-reviews');
      if (!inStatus(facts, ['submitted']))
        return state('仅可审查已提交待审查的建议', 'only a submitted suggestion can be reviewed');
      if (
        action === 'review_merge' &&
        input.intoSuggestionId !== undefined &&
        input.intoSuggestionId === input.suggestionId
      )
        return state('不能并入自身', 'a suggestion cannot be merged into itself', 'intoSuggestionId');
      return ALLOW;
    }
    case 'assign': {
      if (!inRoleSet('assigners', r))
        return role('只有代表工委或督查室可以交办', 'only the reviewer or coordinator assigns');
      if (facts.assigned) return state('已交办', 'already assigned');
      if (!inStatus(facts, ['accepted']))
        return state('仅可交办已立案的建议', 'only accepted items are assigned');
      if (input.unitIds) {
        if (input.unitIds.length === 0)
          return state('至少选择一个承办单位', 'choose at least one unit', 'unitIds');
        if (new Set(input.unitIds).size !== input.unitIds.length)
          return state('承办单位不能重复', 'a unit may appear only once', 'unitIds');
      }
      return ALLOW;
    }
    case 'decide_request': {
      if (!inRoleSet('requestDeciders', r))
        return role('只有代表工委审批申请', 'only the reviewer decides requests');
      if (!inStatus(facts, handlingStatuses) || !facts.pendingRequest)
        return state('没有待审批的申请', 'there is no pending request');
      if (input.requestKind === 'reassignment' && input.approve) {
        if (!input.newUnitId)
          return state(
            '同意调整须指定新的承办单位',
            'an approved re-assignment names the new unit',
            'newUnitId',
          );
        if (input.newUnitId === input.ownUnitId || (input.siblingUnitIds ?? []).includes(input.newUnitId))
          return state('新的承办单位已在办理本件', 'the new unit already handles this item', 'newUnitId');
      }
      return ALLOW;
    }
    case 'urge': {
      if (!inRoleSet('urgers', r))
        return role(
          '只有督查室、督办领导或代表工委可以催办',
          'only coordinators, supervisors and reviewers urge',
        );
      if (!inStatus(facts, urgeStatuses))
        return state(
          '仅可对已提交、尚未办结的建议催办',
          'only items submitted and not yet closed can be urged',
        );
      if (
        input.unitId &&
        facts.status !== undefined &&
        !(handlingStatuses as readonly string[]).includes(facts.status)
      )
        return state('当前没有承办单位在办理,不能指定单位催办', 'no unit handles this item now', 'unitId');
      if (input.unitId && facts.handlingUnitIds && !facts.handlingUnitIds.includes(input.unitId))
        return state('该单位未承办本件', 'that unit does not handle this item', 'unitId');
      return ALLOW;
    }
    case 'key_supervision': {
      if (!inRoleSet('keySetters', r))
        return role(
          '只有代表工委或督办领导可以确定重点督办',
          'only reviewers and supervisors set key supervision',
        );
      if (facts.keySupervision) return state('已列为重点督办', 'already under key supervision');
      if (!inStatus(facts, keySupervisionStatuses))
        return state(
          '仅可对已立案未答复的建议确定重点督办',
          'only accepted items not yet replied can be put under key supervision',
        );
      return ALLOW;
    }
    case 'withhold_publication': {
      if (!inRoleSet('reviewers', r) && !inRoleSet('deputies', r))
        return role(
          '只有代表工委或领衔代表可以决定不予公开',
          'only the reviewer or the lead deputy can withhold publication',
        );
      if (inRoleSet('deputies', r) && !lead)
        return notYours(
          '只有代表工委或领衔代表可以决定不予公开',
          'only the reviewer or the lead deputy can withhold publication',
        );
      if (!inStatus(facts, withholdStatuses))
        return state(
          '仅可在办结前决定不予公开',
          'publication can be withheld only before the item is closed',
        );
      if (facts.publicationWithheld) return state('本件已确定不予公开', 'publication is already withheld');
      return ALLOW;
    }
    case 'mark_excellent': {
      if (!inRoleSet('excellentMarkers', r))
        return role(
          '只有代表工委或督办领导可以评定优秀建议',
          'only the reviewer or a supervisor names an excellent suggestion',
        );
      if (!inStatus(facts, excellentStatuses))
        return state(
          '仅可将已答复或已办结的建议评为优秀建议',
          'only a replied or closed suggestion can be named excellent',
        );
      if (facts.excellent) return state('本件已评为优秀建议', 'already named an excellent suggestion');
      return ALLOW;
    }
    case 'rate': {
      if (!inRoleSet('deputies', r))
        return role('只有领衔代表可以测评', 'only the lead deputy rates the reply');
      if (!lead && !facts.isCosigner)
        return notYours(
          '只有领衔代表或联名代表可以测评',
          'only the lead deputy or a co-signer rates the reply',
        );
      if (!inStatus(facts, ['replied']) || facts.ratedThisRound || facts.awaitingConsultation)
        return state('当前不在测评期', 'not waiting for an evaluation');
      if (facts.replyReturnPending)
        return state('答复已被退回重办', 'the reply was sent back for re-handling');
      if (!lead && facts.cosignerRatedThisRound)
        return state('您已测评过本次答复', 'you have already rated this reply');
      return ALLOW;
    }
    case 'consultation': {
      if (!inRoleSet('consultationRecorders', r))
        return role(
          '只有代表工委或督查室记录当面协商',
          'only the reviewer or coordinator records a consultation',
        );
      if (!inStatus(facts, ['replied']) || !facts.awaitingConsultation)
        return state('仅在第二次不满意后记录当面协商', 'a consultation is recorded after a second 不满意');
      return ALLOW;
    }
    case 'reply_return': {
      if (!inRoleSet('reviewers', r))
        return role('只有代表工委可以退回重办', 'only the reviewer sends a reply back');
      if (!inStatus(facts, ['replied']) || facts.ratedThisRound || facts.awaitingConsultation)
        return state(
          '仅可在答复待测评时退回重办',
          'a reply can be sent back only while it awaits its rating',
        );
      if (facts.replyReturnPending)
        return state('该答复已在测评或退回中', 'the reply is already being rated or sent back');
      if (input.unitId && facts.replyingUnitIds && !facts.replyingUnitIds.includes(input.unitId))
        return state('该单位没有待测评的答复', 'that unit has no reply awaiting a rating', 'unitId');
      return ALLOW;
    }
    case 'follow_up':
    case 'progress_report': {
      const follow = action === 'follow_up';
      if (!inRoleSet('unitStaff', r))
        return role(
          follow ? '只有答复单位报告跟踪办理情况' : '只有承办单位报送办理进展',
          follow
            ? 'only the replying unit reports on its follow-up'
            : 'only a handling unit reports its progress',
        );
      const unit = input.unitId ?? actor.unitId ?? null;
      if (input.unitId && actor.unitId !== input.unitId)
        return notYours('只能为本单位报送', "only a unit's own people report for it");
      if (follow) {
        if (
          !inStatus(facts, ['closed', 'published']) ||
          !unit ||
          !(facts.followUpUnitIds ?? []).includes(unit)
        )
          return state('没有待跟踪办理的答复', 'there is no open follow-up for this unit');
        return ALLOW;
      }
      if (
        !facts.keySupervision ||
        !facts.progressOpen ||
        !inStatus(facts, handlingStatuses) ||
        !unit ||
        !(facts.replyingUnitIds ?? []).includes(unit)
      )
        return state(
          '本件不在重点督办办理中,无需报送进展',
          'progress reports are for key items being handled by their replying units',
        );
      if ((facts.progressReportedUnitIds ?? []).includes(unit))
        return state('本期进展已报送', "this period's progress report is already in");
      return ALLOW;
    }
    default:
      return role('无权执行此操作', 'not allowed');
  }
}

function decideUnit(action: UnitAction, actor: RuleActor, facts: ItemFacts, input: ActionInput): Decision {
  const signing = action === 'sign_off';
  if (!inRoleSet(signing ? 'signers' : 'unitStaff', actor.role))
    return signing
      ? role('只有单位负责人可以签发答复', 'only a unit leader signs a reply off')
      : role('只有承办单位可以执行此操作', 'only a handling unit does this');
  const p = facts.part;
  const ownUnit = input.ownUnitId ?? p?.unitId;
  if (!ownUnit || actor.unitId !== ownUnit)
    return notYours('只能办理本单位的建议', 'only this unit may act on its assignment');
  if (!p || !inStatus(facts, handlingStatuses)) {
    if (p?.closed || facts.status === 'replied' || facts.status === 'closed' || facts.status === 'published')
      return state(
        '主办单位已答复,本单位的协办已随之结束',
        "the lead unit has replied: this co-handler's part has ended",
      );
    return state('本单位当前没有待办理的任务', 'this unit has no open part of this item');
  }
  if (p.closed)
    return state(
      '主办单位已答复,本单位的协办已随之结束',
      "the lead unit has replied: this co-handler's part has ended",
    );
  if (p.done) return state('本单位已办理完毕', 'this unit has finished');
  if (p.busy) return state('另一操作正在进行', 'another action is in progress');
  const replies = p.role !== 'co';
  switch (action) {
    case 'sign_in':
      return p.signedIn ? state('已签收', 'already signed in') : ALLOW;
    case 'request_reassignment':
    case 'request_extension':
      if (p.pendingRequest) return state('已有待审批的申请', 'a request is already pending');
      if (action === 'request_extension' && !replies)
        return state('协办单位不申请延期', 'a co-handler does not ask for an extension');
      return ALLOW;
    default:
      break;
  }
  if (!p.signedIn) return state('请先签收', 'sign in first');
  switch (action) {
    case 'contact':
      return ALLOW;
    case 'opinion':
      return replies ? state('只有协办单位提交协办意见', 'only a co-handler sends an opinion') : ALLOW;
    default:
      break;
  }
  if (!replies)
    return state('协办单位不直接答复代表', 'a co-handler sends its opinion to the lead unit, not a reply');
  switch (action) {
    case 'draft_reply':
      if (input.category === 'B' && !input.promisedDate)
        return state(
          'B 类答复须写明承诺解决时间',
          'a category B reply needs a promised date',
          'promisedDate',
        );
      if (input.category === 'C' && !input.explanation && !input.promisedDate)
        return state(
          'C 类答复须说明原因或承诺时间',
          'a category C reply needs an explanation or a promised date',
          'explanation',
        );
      return ALLOW;
    case 'sign_off':
      if (!p.hasDraft) return state('尚无答复草稿', 'there is no reply draft to sign');
      if (facts.signOffBy === 'principal_leader' && actor.principal !== true)
        return notYours(
          '重点督办件的答复须由单位主要负责人签发',
          'a reply on a key-supervision item must be signed off by the principal leader',
        );
      return ALLOW;
    case 'send_reply':
      if (!p.hasDraft) return state('尚无答复草稿', 'there is no reply draft');
      if (p.contacts === 0)
        return state(
          '答复前须至少与代表沟通一次',
          'at least one logged contact with the deputy is required before replying',
        );
      if (!p.signedOff)
        return state('答复须经单位负责人签发', 'the unit leader must sign the reply off first');
      return ALLOW;
  }
  return ALLOW;
}

/** The item steps this actor may take now (for `allowedActions` in the API and the buttons of the pages). */
export function allowedActions(actor: RuleActor, facts: ItemFacts): RuleAction[] {
  return ruleActions.filter((a) => decide(a, actor, facts).ok);
}
export * from './intake';
