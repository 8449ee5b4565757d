/**
 * All UI strings, Chinese first, one file per language and area (`./zh-CN/*.ts`, `./en/*.ts`);
 * this is the one entry point (`import { t } from '$lib/i18n'`).
 *
 * The language is the user's choice (the switch in the header), kept in the `jianyi.locale` cookie:
 * the server renders in it (hooks.server.ts reads the cookie, the root layout sets it before the
 * page renders), so an English reader never sees a Chinese first paint.
 */
import { derived, get, writable } from 'svelte/store';
import { messages as en } from './en';
import { messages as zhCN, type Messages } from './zh-CN';

export type { Messages } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
/** Cookie (read by the server) and localStorage key (where the choice lived before the cookie). */
export const LOCALE_COOKIE = 'jianyi.locale';
const ONE_YEAR_S = 365 * 24 * 3600;

const MESSAGES: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export const locale = writable<Locale>(DEFAULT_LOCALE);

/** `$t.key` in components. */
export const t = derived(locale, ($locale) => MESSAGES[$locale]);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale a stored value names; the default for anything else. */
export function toLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export function setLocale(next: Locale): void {
  locale.set(next);
  if (typeof document === 'undefined') return;
  document.documentElement.lang = next;
  document.cookie = `${LOCALE_COOKIE}=${next}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax`;
  try {
    localStorage.setItem(LOCALE_COOKIE, next);
  } catch {
    // storage disabled (private mode): the cookie still carries the choice
  }
}

export function toggleLocale(): void {
  setLocale(get(locale) === 'en' ? 'zh-CN' : 'en');
}

/**
 * In the browser, once: keeps the language the server rendered in, unless the server had no cookie
 * and an older choice is in localStorage (then that choice is applied and written to the cookie).
 */
export function initLocale(rendered: Locale, fromCookie: boolean): void {
  let stored: string | null = null;
  if (!fromCookie) {
    try {
      stored = localStorage.getItem(LOCALE_COOKIE);
    } catch {
      // storage disabled
    }
  }
  setLocale(isLocale(stored) ? stored : rendered);
}

export function roleLabel(role: string, messages: Messages): string {
  return messages.roles[role] ?? role;
}

/** Picks the English or Chinese variant of a server message that carries both. */
export function pick(zh: string, enText: string | undefined, current: Locale): string {
  return current === 'en' && enText ? enText : zh;
}
