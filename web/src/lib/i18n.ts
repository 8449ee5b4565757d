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

// ---- Oversight pages (dashboard, supervision, public replies, admin): their own block, so other
// pages' strings merge without conflicts. Used as `$t.oversight.…`.
const oversightZh = {
  nav: {
    dashboard: '统计分析',
    supervision: '督办',
    public: '答复公开',
    admin: '系统管理',
    label: '管理导航',
  },
  rates: {
    closedRate: '办结率',
    onTimeRate: '按时办结率',
    meetingRate: '见面率',
    contactRate: '沟通率',
    satisfiedRate: '满意率',
    basicallySatisfiedRate: '基本满意率',
    solvedRate: '解决率',
    solvedABRate: '解决率(A+B)',
  } as Record<string, string>,
  counts: {
    assigned: '交办',
    closed: '办结',
    onTime: '按时办结',
    replied: '已答复',
    met: '见面',
    evaluated: '已测评',
    satisfied: '满意',
    solved: '解决(A)',
  } as Record<string, string>,
  dashboardTitle: '办理统计',
  dashboardIntro: '按承办单位、镇(街道)或届次统计办理情况。点击分组名称查看明细。',
  groupBy: '分组方式',
  byUnit: '按承办单位',
  byTown: '按镇(街道)',
  bySession: '按届次',
  sessionYear: '届次年度',
  allSessions: '全部届次',
  total: '合计',
  group: '分组',
  unknownTown: '(未填写)',
  chartLabel: (by: string) => `各${by}五项办理指标柱状图(百分比)`,
  chartLoading: '图表加载中…',
  noData: '暂无交办数据。随着建议交办、答复和测评,统计会逐步生成。',
  definitionsTitle: '指标口径',
  exportStats: '导出统计表(Excel)',
  exportAssignmentList: '导出交办清单(Excel)',
  drillDownTitle: (label: string) => `明细:${label}`,
  backToDashboard: '返回统计',
  items: '件',
  yes: '是',
  no: '否',
  title: '标题',
  registrationNo: '立案号',
  leadDeputy: '领衔代表',
  units: '承办单位',
  town: '镇(街道)',
  deadline: '办理期限',
  rating: '测评',
  ratings: {
    satisfied: '满意',
    basically_satisfied: '基本满意',
    unsatisfied: '不满意',
    no_feedback: '未反馈',
  } as Record<string, string>,
  prev: '上一页',
  next: '下一页',
  pageOf: (page: number, pages: number) => `第 ${page} / ${pages} 页`,
  loadFailed: '加载失败',
  search: '搜索',
  keyword: '关键词',

  supervisionTitle: '督办:逾期与临期',
  supervisionIntro:
    '逾期件:承办单位超过办理期限仍未答复。临期件:距办理期限不超过所选工作日数(按工作日历计算)。',
  overdue: '逾期件',
  atRisk: '临期件',
  withinDays: '临期范围(工作日)',
  noOverdue: '没有逾期件。',
  noAtRisk: '所选范围内没有临期件。',
  urge: '催办',
  urgeNote: '催办意见',
  urgeDefault: '请加快办理进度,按期答复代表。',
  urgeSend: '发送催办',
  urgeCancel: '取消',
  urging: '正在催办…',
  urged: (title: string) => `已催办「${title}」。`,
  urgeCount: (n: number) => `已催办 ${n} 次`,
  keyItem: '重点督办',

  publicTitle: '代表建议答复公开',
  publicIntro: '公开已办结的代表建议及承办单位答复。涉密事项不予公开。无需登录。',
  allUnits: '全部单位',
  noResults: '没有找到相关答复。',
  resultsCount: (n: number) => `共找到 ${n} 件`,
  reply: '答复',
  category: '答复类别',
  categories: {
    A: 'A 类(已解决或采纳)',
    B: 'B 类(正在解决或列入计划)',
    C: 'C 类(因条件限制暂时无法解决)',
    D: 'D 类(留作参考)',
  } as Record<string, string>,
  promisedDate: '承诺解决时间',
  suggestionContent: '建议内容',
  repliedOn: '答复日期',
  backToPublic: '返回答复公开',
  readMore: '查看全文',

  adminTitle: '系统管理',
  adminTabs: {
    units: '承办单位',
    users: '用户与角色',
    deputies: '代表',
    calendar: '工作日历',
    policy: '办理规则',
    sessions: '届次',
  } as Record<string, string>,
  code: '代码',
  name: '名称',
  create: '新建',
  save: '保存',
  edit: '编辑',
  cancel: '取消',
  saved: '已保存。',
  created: '已创建。',
  username: '用户名',
  displayName: '姓名',
  password: '初始密码',
  role: '角色',
  unit: '所属单位',
  deputy: '对应代表',
  email: '电子邮箱',
  active: '启用',
  none: '(无)',
  level: '代表层级',
  levels: {
    national: '全国',
    provincial: '省级',
    city: '市级',
    county: '县级',
    township: '乡镇级',
  } as Record<string, string>,
  delegation: '代表团',
  accounts: '账号数',
  year: '年份',
  month: '月份',
  weekdays: ['一', '二', '三', '四', '五', '六', '日'],
  dayKinds: {
    holiday: '节假日',
    workday: '调休上班',
    normal: '按周一至周五',
    weekend: '周末',
    working: '工作日',
  } as Record<string, string>,
  dayShort: { holiday: '休', workday: '班' } as Record<string, string>,
  dayKind: '日期类型',
  prevMonth: '上个月',
  nextMonth: '下个月',
  dayName: '名称(如 春节)',
  editDay: (day: string) => `调整 ${day}`,
  calendarHint:
    '点击日期可设为节假日、调休上班日,或恢复为普通日(周一至周五上班)。数据来自国务院公布的节假日安排,可由管理员修改。',
  source: { 'chinese-days': '国务院安排', admin: '管理员' } as Record<string, string>,
  yearStates: '各年节假日数据',
  yearState: {
    official: '已公布',
    provisional: '暂定(未载入)',
    missing: '缺失',
  } as Record<string, string>,
  yearStateHint:
    '未载入的年份暂按常规工作日(周一至周五)计算,跨入这些年份的办理期限标注“暂定”;载入后正在计时的期限自动重新计算。',
  loadYear: (y: number) => `载入 ${y} 年节假日安排`,
  loadYearHint:
    '按国务院办公厅通知填写:放假日期与调休上班日期,每行一个 YYYY-MM-DD;或上传 JSON({holidays, workdays})或 CSV(日期,休/班,名称)文件。',
  holidaysField: '放假日期',
  workdaysField: '调休上班日期(周六或周日)',
  noticeFile: '通知文件(JSON 或 CSV)',
  loadSubmit: '载入',
  loaded: (y: number, n: number) => `已载入 ${y} 年节假日安排,${n} 个在办期限已重新计算。`,
  provisionalNote: '暂按常规工作日计算，待公布节假日安排后自动调整',
  policyInForce: '现行办理规则',
  policyChoose: '设为现行规则',
  policyChosen: (name: string) => `已将「${name}」设为现行办理规则。`,
  policyNote: '新提交的建议按现行规则办理;已在办的建议沿用提交时的规则。测试专用规则不能选用。',
  testOnly: '测试专用',
  effectiveFrom: '生效日期',
  jurisdiction: '适用范围',
  congressSessions: {
    intro: '会期内提交的建议归入该届次,在交办会统一交办(闭会后按办理规则的期限);其他建议归入闭会期间。',
    term: '届',
    session: '次',
    startsOn: '开幕日期',
    endsOn: '闭幕日期',
    suggestions: '建议数',
    remove: '删除',
    none: '尚无届次',
    namePlaceholder: '默认:第N届人民代表大会第M次会议',
  },
};

const oversightEn: typeof oversightZh = {
  nav: {
    dashboard: 'Statistics',
    supervision: 'Supervision',
    public: 'Public replies',
    admin: 'Administration',
    label: 'Management',
  },
  rates: {
    closedRate: 'Closure rate',
    onTimeRate: 'On-time rate',
    meetingRate: 'Meeting rate',
    contactRate: 'Contact rate',
    satisfiedRate: 'Satisfaction rate',
    basicallySatisfiedRate: 'Basically satisfied',
    solvedRate: 'Solved rate',
    solvedABRate: 'Solved rate (A+B)',
  },
  counts: {
    assigned: 'Assigned',
    closed: 'Closed',
    onTime: 'On time',
    replied: 'Replied',
    met: 'Met',
    evaluated: 'Evaluated',
    satisfied: 'Satisfied',
    solved: 'Solved (A)',
  },
  dashboardTitle: 'Handling statistics',
  dashboardIntro: 'Handling figures by unit, town or session. Select a group name to see its items.',
  groupBy: 'Group by',
  byUnit: 'By unit',
  byTown: 'By town',
  bySession: 'By session',
  sessionYear: 'Session year',
  allSessions: 'All sessions',
  total: 'Total',
  group: 'Group',
  unknownTown: '(not set)',
  chartLabel: (by: string) => `Bar chart of the five handling rates (percent) ${by.toLowerCase()}`,
  chartLoading: 'Loading the chart…',
  noData: 'No assigned items yet. The figures fill as items are assigned, replied and rated.',
  definitionsTitle: 'Definitions',
  exportStats: 'Export statistics (Excel)',
  exportAssignmentList: 'Export assignment list (Excel)',
  drillDownTitle: (label: string) => `Items: ${label}`,
  backToDashboard: 'Back to statistics',
  items: 'items',
  yes: 'Yes',
  no: 'No',
  title: 'Title',
  registrationNo: 'Registration no.',
  leadDeputy: 'Lead deputy',
  units: 'Handling units',
  town: 'Town',
  deadline: 'Deadline',
  rating: 'Rating',
  ratings: {
    satisfied: 'Satisfied',
    basically_satisfied: 'Basically satisfied',
    unsatisfied: 'Unsatisfied',
    no_feedback: 'No feedback',
  },
  prev: 'Previous',
  next: 'Next',
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  loadFailed: 'Could not load',
  search: 'Search',
  keyword: 'Keyword',

  supervisionTitle: 'Supervision: overdue and at risk',
  supervisionIntro:
    'Overdue: a unit is past its deadline without a reply. At risk: due within the chosen number of working days (working-day calendar).',
  overdue: 'Overdue',
  atRisk: 'At risk',
  withinDays: 'Due within (working days)',
  noOverdue: 'No overdue items.',
  noAtRisk: 'No items due within that range.',
  urge: 'Urge',
  urgeNote: 'Note to the units',
  urgeDefault: '请加快办理进度,按期答复代表。',
  urgeSend: 'Send urge',
  urgeCancel: 'Cancel',
  urging: 'Urging…',
  urged: (title: string) => `Urged “${title}”.`,
  urgeCount: (n: number) => `Urged ${n}×`,
  keyItem: 'Key supervision',

  publicTitle: 'Published replies to deputies’ suggestions',
  publicIntro:
    'Closed suggestions and the handling units’ replies. Confidential items are never published. No sign-in needed.',
  allUnits: 'All units',
  noResults: 'No replies found.',
  resultsCount: (n: number) => `${n} found`,
  reply: 'Reply',
  category: 'Category',
  categories: {
    A: 'A (solved or adopted)',
    B: 'B (being solved or in plan)',
    C: 'C (cannot be solved now)',
    D: 'D (for reference)',
  },
  promisedDate: 'Promised date',
  suggestionContent: 'Suggestion',
  repliedOn: 'Replied on',
  backToPublic: 'Back to published replies',
  readMore: 'Read in full',

  adminTitle: 'Administration',
  adminTabs: {
    units: 'Units',
    users: 'Users and roles',
    deputies: 'Deputies',
    calendar: 'Working-day calendar',
    policy: 'Policy',
    sessions: 'Congress sessions',
  },
  code: 'Code',
  name: 'Name',
  create: 'Create',
  save: 'Save',
  edit: 'Edit',
  cancel: 'Cancel',
  saved: 'Saved.',
  created: 'Created.',
  username: 'Username',
  displayName: 'Name',
  password: 'Initial password',
  role: 'Role',
  unit: 'Unit',
  deputy: 'Deputy',
  email: 'Email',
  active: 'Active',
  none: '(none)',
  level: 'Level',
  levels: {
    national: 'National',
    provincial: 'Provincial',
    city: 'City',
    county: 'County',
    township: 'Township',
  },
  delegation: 'Delegation',
  accounts: 'Accounts',
  year: 'Year',
  month: 'Month',
  weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  dayKinds: {
    holiday: 'Holiday',
    workday: 'Make-up working day',
    normal: 'Mon–Fri rule',
    weekend: 'Weekend',
    working: 'Working day',
  },
  dayShort: { holiday: 'off', workday: 'work' },
  dayKind: 'Kind of day',
  prevMonth: 'Previous month',
  nextMonth: 'Next month',
  dayName: 'Name (e.g. Spring Festival)',
  editDay: (day: string) => `Change ${day}`,
  calendarHint:
    'Select a day to make it a holiday, a make-up working day, or an ordinary day again (Mon–Fri working). Seeded from the State Council’s announcements; editable by the admin.',
  source: { 'chinese-days': 'State Council', admin: 'Admin' },
  yearStates: 'Holiday data by year',
  yearState: { official: 'Official', provisional: 'Provisional (not loaded)', missing: 'Missing' },
  yearStateHint:
    'Years not loaded are counted as ordinary weeks (Mon–Fri); deadlines counted into them are marked provisional and re-planned when the year is loaded.',
  loadYear: (y: number) => `Load the holidays of ${y}`,
  loadYearHint:
    'From the State Council notice: holidays and make-up working days, one YYYY-MM-DD a line; or upload a JSON ({holidays, workdays}) or CSV (date,holiday/workday,name) file.',
  holidaysField: 'Holidays',
  workdaysField: 'Make-up working days (Saturday or Sunday)',
  noticeFile: 'Notice file (JSON or CSV)',
  loadSubmit: 'Load',
  loaded: (y: number, n: number) => `Loaded ${y}; ${n} running deadline(s) re-planned.`,
  provisionalNote: 'Counted on ordinary weeks for now; adjusted once the holidays are announced',
  policyInForce: 'Policy in force',
  policyChoose: 'Put in force',
  policyChosen: (name: string) => `“${name}” is now the policy in force.`,
  policyNote:
    'New suggestions follow the policy in force; items already in handling keep the policy they started with. Test-only policies cannot be chosen.',
  testOnly: 'Test only',
  effectiveFrom: 'Effective from',
  jurisdiction: 'Jurisdiction',
  congressSessions: {
    intro:
      "Suggestions submitted during a session belong to it and are assigned together at the assignment meeting (within the policy's days after it closes); the others belong to the period between sessions.",
    term: 'Term',
    session: 'Session',
    startsOn: 'Opens',
    endsOn: 'Closes',
    suggestions: 'Suggestions',
    remove: 'Delete',
    none: 'No sessions yet',
    namePlaceholder: "Default: session M of the N-th people's congress",
  },
};
// ---- end of the oversight block ----

const zhCN = {
  appName: '代表建议办理平台',
  languageSwitch: '切换语言（English / 中文）',
  skipToContent: '跳到主要内容',
  oversight: oversightZh,

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
  oversight: oversightEn,

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
