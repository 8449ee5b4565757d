/**
 * Kinds of notice (通知类别) a user can switch per channel (通知偏好). PURE: the notifier files every
 * suggestion event under one category, the API validates preferences against the list and the web's
 * settings page shows it. A category listed in `alwaysInApp` cannot be switched off in the platform
 * (催办 and overdue warnings must reach whoever holds the clock); email and robot always can.
 */
import type { SuggestionEventType } from './events';

export const noticeCategories = [
  'progress',
  'assignment',
  'sign_off',
  'reply',
  'request',
  'urge',
  'deadline',
] as const;
export type NoticeCategory = (typeof noticeCategories)[number];

export const noticeChannels = ['in_app', 'email', 'webhook'] as const;
export type NoticeChannel = (typeof noticeChannels)[number];

export const noticeCategoryLabels: Record<NoticeCategory, { zh: string; en: string }> = {
  progress: { zh: '办理进展', en: 'Progress of items' },
  assignment: { zh: '交办', en: 'Assignment' },
  sign_off: { zh: '答复签发', en: 'Reply sign-off' },
  reply: { zh: '答复与评价', en: 'Replies and ratings' },
  request: { zh: '申请与审批', en: 'Requests and decisions' },
  urge: { zh: '催办与督办', en: 'Urging and key supervision' },
  deadline: { zh: '期限提醒', en: 'Deadline warnings' },
};

/** In-app notices of these categories are always kept. */
export const alwaysInApp: readonly NoticeCategory[] = ['urge', 'deadline'];

const byType: Record<SuggestionEventType, NoticeCategory> = {
  'suggestion.submitted': 'progress',
  'suggestion.withdrawn': 'progress',
  'suggestion.returned': 'progress',
  'suggestion.accepted': 'progress',
  'suggestion.rejected': 'progress',
  'suggestion.converted': 'progress',
  'suggestion.merged': 'progress',
  'suggestion.imported': 'progress',
  'suggestion.assigned': 'assignment',
  'suggestion.handling_started': 'progress',
  'suggestion.signed_in': 'progress',
  'suggestion.contact_logged': 'progress',
  'suggestion.opinion_sent': 'progress',
  'suggestion.reply_drafted': 'sign_off',
  'suggestion.reply_signed': 'sign_off',
  'suggestion.reply_returned': 'sign_off',
  'suggestion.reply_sent': 'reply',
  'suggestion.replied': 'reply',
  'suggestion.rated': 'reply',
  'suggestion.publication_withheld': 'progress',
  'suggestion.progress_report_due': 'deadline',
  'suggestion.progress_reported': 'progress',
  'suggestion.rehandling': 'reply',
  'suggestion.consultation_recorded': 'reply',
  'suggestion.closed': 'progress',
  'suggestion.published': 'progress',
  'suggestion.reassignment_requested': 'request',
  'suggestion.reassignment_decided': 'request',
  'suggestion.extension_requested': 'request',
  'suggestion.extension_decided': 'request',
  'suggestion.follow_up_due': 'deadline',
  'suggestion.follow_up_reported': 'progress',
  'suggestion.urged': 'urge',
  'suggestion.key_supervision_set': 'urge',
  'suggestion.deadline': 'deadline',
  'suggestion.marked_excellent': 'progress',
  'suggestion.deadline_replanned': 'deadline',
};

export function noticeCategoryOf(type: SuggestionEventType): NoticeCategory {
  return byType[type];
}

/** Stored choices: `{ category: { channel: false } }`; anything not stored is on. */
export type CategoryChoices = Partial<Record<NoticeCategory, Partial<Record<NoticeChannel, boolean>>>>;

/** Whether the user wants this category on this channel (the channel's global switch is separate). */
export function wantsNotice(
  choices: CategoryChoices | null | undefined,
  category: NoticeCategory,
  channel: NoticeChannel,
): boolean {
  if (channel === 'in_app' && alwaysInApp.includes(category)) return true;
  return choices?.[category]?.[channel] ?? true;
}

/** The full grid (every category × channel) from the stored choices. */
export function categoryGrid(
  choices: CategoryChoices | null | undefined,
): Record<NoticeCategory, Record<NoticeChannel, boolean>> {
  return Object.fromEntries(
    noticeCategories.map((c) => [
      c,
      Object.fromEntries(noticeChannels.map((ch) => [ch, wantsNotice(choices, c, ch)])),
    ]),
  ) as Record<NoticeCategory, Record<NoticeChannel, boolean>>;
}

/** Kinds of a unit's group robot (群机器人): its message format and signing. */
export const robotKinds = ['generic', 'dingtalk', 'wecom'] as const;
export type RobotKind = (typeof robotKinds)[number];
export const robotKindLabels: Record<RobotKind, { zh: string; en: string }> = {
  generic: { zh: '通用 Webhook(签名 JSON)', en: 'Generic webhook (signed JSON)' },
  dingtalk: { zh: '钉钉群机器人(加签)', en: 'DingTalk robot (signed)' },
  wecom: { zh: '企业微信群机器人', en: 'WeCom robot' },
};
