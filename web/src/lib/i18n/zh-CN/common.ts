/** UI strings shared by every page (header, sign-in, the deputy's list, roles, errors): 中文. */
export const common = {
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
};

export type CommonMessages = typeof common;
