/**
 * Display labels for suggestion statuses. The rules about which status follows which live in
 * the shared domain module; this file only names them for people.
 */
import type { Locale } from './i18n';

export interface StatusLabel {
  zh: string;
  en: string;
}

export const STATUS_LABELS = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交', en: 'Submitted' },
  returned: { zh: '退回修改', en: 'Returned' },
  accepted: { zh: '已立案', en: 'Accepted' },
  rejected: { zh: '不予立案', en: 'Not accepted' },
  converted: { zh: '转来信', en: 'Converted to letter' },
  merged: { zh: '已并案', en: 'Merged' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  assigned: { zh: '已交办', en: 'Assigned' },
  handling: { zh: '办理中', en: 'Handling' },
  replied: { zh: '已答复', en: 'Replied' },
  rehandling: { zh: '重新办理', en: 'Re-handling' },
  closed: { zh: '已办结', en: 'Closed' },
  published: { zh: '已公开', en: 'Published' },
} as const satisfies Record<string, StatusLabel>;

export type KnownStatus = keyof typeof STATUS_LABELS;

export function isKnownStatus(code: string): code is KnownStatus {
  return Object.hasOwn(STATUS_LABELS, code);
}

/** The label in the given locale; an unknown code is shown as it is. */
export function statusLabel(code: string, locale: Locale = 'zh-CN'): string {
  if (!isKnownStatus(code)) return code;
  const label = STATUS_LABELS[code];
  return locale === 'en' ? label.en : label.zh;
}

export type StatusTone = 'neutral' | 'progress' | 'attention' | 'success' | 'ended';

/** Colour family of the badge, so the list can be scanned at a glance. */
export function statusTone(code: string): StatusTone {
  switch (code) {
    case 'submitted':
    case 'accepted':
    case 'assigned':
    case 'handling':
      return 'progress';
    case 'returned':
    case 'rehandling':
      return 'attention';
    case 'replied':
    case 'closed':
    case 'published':
      return 'success';
    case 'rejected':
    case 'converted':
    case 'merged':
    case 'withdrawn':
      return 'ended';
    default:
      return 'neutral';
  }
}
