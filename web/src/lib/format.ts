import type { Locale } from './i18n';

/** Date and time in the reader's language, China time (where the bodies sit). */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(date);
}

/** Today's date in China time, YYYY-MM-DD (the default of a contact's date). */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A rate (0–1) as a percentage with one decimal; — when there is none. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** A date (China time) as YYYY-MM-DD; — when there is none. */
export function chinaDate(v: string | null | undefined): string {
  if (!v) return '—';
  const t = Date.parse(v);
  if (Number.isNaN(t)) return v.slice(0, 10);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}
