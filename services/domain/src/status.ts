/** Where a suggestion is in its process (代表建议办理). Labels are zh-CN first. */
export const SuggestionStatus = {
  draft: 'draft', // 草稿
  submitted: 'submitted', // 已提交 (awaiting pre-review 待审查)
  returned: 'returned', // 退回修改
  accepted: 'accepted', // 已立案
  rejected: 'rejected', // 不予立案
  converted: 'converted', // 转来信处理
  merged: 'merged', // 已并案
  withdrawn: 'withdrawn', // 已撤回
  assigned: 'assigned', // 已交办
  handling: 'handling', // 办理中
  replied: 'replied', // 已答复
  rehandling: 'rehandling', // 重新办理
  closed: 'closed', // 已办结
  published: 'published', // 已公开
} as const;
export type SuggestionStatus = (typeof SuggestionStatus)[keyof typeof SuggestionStatus];
export const suggestionStatuses = Object.values(SuggestionStatus) as SuggestionStatus[];

export const statusLabels: Record<SuggestionStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交', en: 'Submitted' },
  returned: { zh: '退回修改', en: 'Returned for revision' },
  accepted: { zh: '已立案', en: 'Accepted' },
  rejected: { zh: '不予立案', en: 'Not accepted' },
  converted: { zh: '转来信处理', en: 'Converted to a letter' },
  merged: { zh: '已并案', en: 'Merged' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  assigned: { zh: '已交办', en: 'Assigned' },
  handling: { zh: '办理中', en: 'Handling' },
  replied: { zh: '已答复', en: 'Replied' },
  rehandling: { zh: '重新办理', en: 'Re-handling' },
  closed: { zh: '已办结', en: 'Closed' },
  published: { zh: '已公开', en: 'Published' },
};

/** Terminal statuses: the workflow ends here. */
export const terminalStatuses: ReadonlySet<SuggestionStatus> = new Set([
  'rejected',
  'converted',
  'merged',
  'withdrawn',
  'published',
]);
