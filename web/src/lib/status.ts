/**
 * Display labels for suggestion statuses. The rules about which status follows which live in
 * the shared domain module; this file only names them for people.
 */
import { statusLabels } from '@jianyi/domain/src/status';
import type { Locale } from './i18n';

export interface StatusLabel {
  zh: string;
  en: string;
}

/** The domain's labels (@jianyi/domain), so the pages and the API name a status alike. */
export const STATUS_LABELS = statusLabels satisfies Record<string, StatusLabel>;

export type KnownStatus = keyof typeof STATUS_LABELS;

export function isKnownStatus(code: string): code is KnownStatus & string {
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
