/**
 * Constituent intake (一码通 / 云接待): stations (家站点), constituent messages (群众留言) and the words
 * a constituent reads about their message. PURE: safe in workflow code.
 */
export const stationKinds = ['home', 'station', 'point'] as const;
export type StationKind = (typeof stationKinds)[number];
export const stationKindLabels: Record<StationKind, string> = {
  home: '代表之家',
  station: '代表联络站',
  point: '代表联络点',
};

/** 值班时段: the slots of the duty roster (值班表). */
export const dutySlots = ['am', 'pm', 'day'] as const;
export type DutySlot = (typeof dutySlots)[number];
export const dutySlotLabels: Record<DutySlot, string> = { am: '上午', pm: '下午', day: '全天' };

export const messageCategories = [
  'transport',
  'education',
  'housing',
  'health',
  'environment',
  'social',
  'agriculture',
  'other',
] as const;
export type MessageCategory = (typeof messageCategories)[number];
export const messageCategoryLabels: Record<MessageCategory, string> = {
  transport: '交通出行',
  education: '教育',
  housing: '住房与城建',
  health: '医疗卫生',
  environment: '生态环境',
  social: '社会保障',
  agriculture: '农业农村',
  other: '其他',
};

/** Where a message is in its process; the Temporal workflow `message-<id>` owns it, `messages.status` is the projection. */
export const messageStatuses = [
  'pending_claim', // 待认领
  'claimed', // 代表已认领,办理中
  'forwarded', // 已转交承办单位
  'answered', // 已答复,待评价
  'converted', // 已转为代表建议
  'rated', // 已评价
  'closed', // 已办结(未评价)
  'merged', // 已合并(重复留言,随另一条留言办理)
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messageStatusLabels: Record<MessageStatus, string> = {
  pending_claim: '待认领',
  claimed: '办理中',
  forwarded: '已转交单位',
  answered: '已答复',
  converted: '已转为代表建议',
  rated: '已评价',
  closed: '已办结',
  merged: '已合并办理',
};

/** What the constituent reads on the tracking page: plain words, no internal names. */
export function plainProgress(status: MessageStatus, unitName?: string | null): string {
  switch (status) {
    case 'pending_claim':
      return '您的留言已收到,正在等待代表接收。';
    case 'claimed':
      return '代表已接收您的留言,正在了解情况、研究办理。';
    case 'forwarded':
      return `代表已将您反映的问题转交${unitName ?? '有关单位'}办理,单位将在 7 个工作日内答复。`;
    case 'answered':
      return '您的留言已有答复,请查看答复内容并评价。';
    case 'converted':
      return '代表采纳了您反映的问题,已形成代表建议,将按建议办理程序正式交办。';
    case 'rated':
      return '您已对答复作出评价,感谢您的反馈。';
    case 'closed':
      return '此留言已办结。';
    case 'merged':
      return '您反映的问题与其他群众的留言相同,已合并办理,办理进展与答复见下方。';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** What the constituent reads once the suggestion made from their message has its answer (建议已答复). */
export function plainSuggestionAnswered(registrationNo: string | null): string {
  return `您的留言形成的代表建议${registrationNo ? `(${registrationNo})` : ''}已由承办单位答复,感谢您的参与。`;
}

export const messageRatings = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type MessageRating = (typeof messageRatings)[number];
export const messageRatingLabels: Record<MessageRating | 'no_feedback', string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  no_feedback: '未评价',
};

/**
 * Tracking codes (查询码) and QR target codes: letters and digits a person can read aloud and type
 * on a phone (no 0/O, 1/I/L, U). A tracking code has 10 of them: 31^10 ≈ 8·10^14 possibilities.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_LENGTH = 10;

/** Upper-cases and drops spaces and dashes, so "abcd-e f2345" finds ABCDEF2345. */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

export function isWellFormedCode(code: string, length: number = TRACKING_CODE_LENGTH): boolean {
  if (code.length !== length) return false;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return false;
  return true;
}
