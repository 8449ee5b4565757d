/**
 * Suggestion statuses for people: the labels are the domain's (services/domain/src/status.ts), the
 * one place that names them; this file only adds the badge colour.
 */
import { statusLabels, suggestionStatuses, type SuggestionStatus } from '@jianyi/domain/src/status';
import type { Locale } from './i18n';

/** Every status, in the process's order (for filters). */
export const STATUSES: readonly SuggestionStatus[] = suggestionStatuses;

export function isKnownStatus(code: string): code is SuggestionStatus {
  return Object.hasOwn(statusLabels, code);
}

/** The label in the given locale; an unknown code is shown as it is. */
export function statusLabel(code: string, locale: Locale = 'zh-CN'): string {
  if (!isKnownStatus(code)) return code;
  const label = statusLabels[code];
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
