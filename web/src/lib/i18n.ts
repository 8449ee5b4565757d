/**
 * All UI strings, Chinese first. English is a switch in the header, remembered in
 * localStorage. The server always renders Chinese; the stored choice is applied once the
 * page is running in the browser.
 */
import { derived, get, writable } from 'svelte/store';
import { workbenchMessages } from './i18n-workbench';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const STORAGE_KEY = 'jianyi.locale';

const zhCN = {
  appName: '代表建议办理平台',
  languageSwitch: '切换语言（English / 中文）',
  skipToContent: '跳到主要内容',

  loginHeading: '登录',
  loginIntro: '请使用您的账号登录。',
  username: '用户名',
  password: '密码',
  loginSubmit: '登录',
  loginSubmitting: '正在登录…',

  loading: '正在加载…',
  logout: '退出登录',
  loggingOut: '正在退出…',
  welcome: '欢迎，',
  yourRole: '您的角色：',
  workbenchComing: '该角色的工作台即将上线。',

  deputyWorkbench: '代表工作台',
  newSuggestion: '新建建议',
  newSuggestionHint: '一事一议：每件建议只写一个事项。',
  suggestionTitle: '标题',
  suggestionContent: '内容',
  submitSuggestion: '提交建议',
  submittingSuggestion: '正在提交…',
  suggestionSubmitted: (title: string) => `建议「${title}」已提交。`,
  formHasErrors: '请根据提示修改后重新提交。',

  mySuggestions: '我的建议',
  noSuggestions: '您还没有建议。',
  total: (n: number) => `共 ${n} 件`,
  registrationNo: '登记号',
  createdAt: '创建于',
  submittedAt: '提交于',
  status: '状态',
  refresh: '刷新',
  retry: '重试',
  listLoadFailed: '建议列表加载失败',
  live: '实时',
  offline: '离线',
  liveHint: '状态变化将实时更新',
  offlineHint: '实时更新已断开，正在尝试重新连接',

  errorHeading: '出错了',
  backHome: '返回首页',

  roles: {
    deputy: '人大代表',
    reviewer: '代表工委',
    coordinator: '政府办',
    unit: '承办单位',
    unit_handler: '承办单位经办人',
    unit_leader: '单位负责人',
    supervisor: '督办人员',
    admin: '系统管理员',
    constituent: '群众',
    public: '公众',
  } as Record<string, string>,

  // Role workbenches (deputy, reviewer, unit): see i18n-workbench.ts.
  wb: workbenchMessages['zh-CN'],
};

export type Messages = typeof zhCN;

const en: Messages = {
  appName: 'Deputy Suggestions Platform',
  languageSwitch: 'Switch language (English / 中文)',
  skipToContent: 'Skip to main content',

  loginHeading: 'Sign in',
  loginIntro: 'Sign in with your account.',
  username: 'Username',
  password: 'Password',
  loginSubmit: 'Sign in',
  loginSubmitting: 'Signing in…',

  loading: 'Loading…',
  logout: 'Sign out',
  loggingOut: 'Signing out…',
  welcome: 'Welcome, ',
  yourRole: 'Your role: ',
  workbenchComing: 'The workbench for this role is coming soon.',

  deputyWorkbench: 'Deputy workbench',
  newSuggestion: 'New suggestion',
  newSuggestionHint: 'One matter per suggestion.',
  suggestionTitle: 'Title',
  suggestionContent: 'Content',
  submitSuggestion: 'Submit suggestion',
  submittingSuggestion: 'Submitting…',
  suggestionSubmitted: (title: string) => `Suggestion “${title}” submitted.`,
  formHasErrors: 'Please correct the marked fields and submit again.',

  mySuggestions: 'My suggestions',
  noSuggestions: 'You have no suggestions yet.',
  total: (n: number) => `${n} in total`,
  registrationNo: 'Registration no.',
  createdAt: 'Created',
  submittedAt: 'Submitted',
  status: 'Status',
  refresh: 'Refresh',
  retry: 'Retry',
  listLoadFailed: 'Could not load the suggestions',
  live: 'Live',
  offline: 'Offline',
  liveHint: 'Status changes appear as they happen',
  offlineHint: 'Live updates disconnected; reconnecting',

  errorHeading: 'Something went wrong',
  backHome: 'Back to the home page',

  roles: {
    deputy: 'Deputy',
    reviewer: 'Deputy-work committee',
    coordinator: 'Government coordinator',
    unit: 'Handling unit',
    unit_handler: 'Handling unit officer',
    unit_leader: 'Unit leader',
    supervisor: 'Supervisor',
    admin: 'Administrator',
    constituent: 'Constituent',
    public: 'Public',
  },

  // Role workbenches (deputy, reviewer, unit): see i18n-workbench.ts.
  wb: workbenchMessages.en,
};

const MESSAGES: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export const locale = writable<Locale>(DEFAULT_LOCALE);

/** `$t.key` in components. */
export const t = derived(locale, ($locale) => MESSAGES[$locale]);

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function setLocale(next: Locale): void {
  locale.set(next);
  if (typeof document === 'undefined') return;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage disabled (private mode): the choice lasts for this page only
  }
}

export function toggleLocale(): void {
  setLocale(get(locale) === 'en' ? 'zh-CN' : 'en');
}

/** Applies the stored choice; call once in the browser. */
export function initLocale(): void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled
  }
  setLocale(isLocale(stored) ? stored : DEFAULT_LOCALE);
}

export function roleLabel(role: string, messages: Messages): string {
  return messages.roles[role] ?? role;
}

/** Picks the English or Chinese variant of a server message that carries both. */
export function pick(zh: string, enText: string | undefined, current: Locale): string {
  return current === 'en' && enText ? enText : zh;
}
