/**
 * The name of each step of an item (办理轨迹, notices, printed dossiers), zh-CN first. One source for
 * the web's timeline and the server's printed documents.
 */
export const stepLabels: Record<string, { zh: string; en: string }> = {
  'suggestion.submitted': { zh: '提交建议', en: 'Submitted' },
  'suggestion.withdrawn': { zh: '撤回', en: 'Withdrawn' },
  'suggestion.returned': { zh: '退回修改', en: 'Returned for revision' },
  'suggestion.accepted': { zh: '立案', en: 'Accepted' },
  'suggestion.rejected': { zh: '不予立案', en: 'Not accepted' },
  'suggestion.converted': { zh: '转来信处理', en: 'Converted to a letter' },
  'suggestion.merged': { zh: '并案', en: 'Merged' },
  'suggestion.assigned': { zh: '交办', en: 'Assigned' },
  'suggestion.handling_started': { zh: '开始办理', en: 'Handling started' },
  'suggestion.signed_in': { zh: '签收', en: 'Signed in' },
  'suggestion.contact_logged': { zh: '与代表沟通', en: 'Contact with the deputy' },
  'suggestion.opinion_sent': { zh: '发送协办意见', en: 'Co-handler opinion sent' },
  'suggestion.reply_drafted': { zh: '拟写答复', en: 'Reply drafted' },
  'suggestion.reply_signed': { zh: '负责人签发', en: 'Reply signed off' },
  'suggestion.reply_sent': { zh: '答复代表', en: 'Reply sent' },
  'suggestion.replied': { zh: '全部答复完成', en: 'All replies in' },
  'suggestion.rated': { zh: '满意度测评', en: 'Rated' },
  'suggestion.rehandling': { zh: '重新办理', en: 'Re-handling' },
  'suggestion.consultation_recorded': { zh: '当面协商', en: 'Consultation recorded' },
  'suggestion.closed': { zh: '办结', en: 'Closed' },
  'suggestion.imported': { zh: '历史导入', en: 'Imported from the archive' },
  'suggestion.published': { zh: '答复公开', en: 'Published' },
  'suggestion.reassignment_requested': { zh: '申请调整', en: 'Re-assignment requested' },
  'suggestion.reassignment_decided': { zh: '调整申请审批', en: 'Re-assignment decided' },
  'suggestion.extension_requested': { zh: '申请延期', en: 'Extension requested' },
  'suggestion.extension_decided': { zh: '延期申请审批', en: 'Extension decided' },
  'suggestion.follow_up_due': { zh: '跟踪办理到期', en: 'Follow-up due' },
  'suggestion.follow_up_reported': { zh: '跟踪办理报告', en: 'Follow-up reported' },
  'suggestion.urged': { zh: '催办', en: 'Urged' },
  'suggestion.key_supervision_set': { zh: '列为重点督办', en: 'Put under key supervision' },
  'suggestion.marked_excellent': { zh: '评为优秀建议', en: 'Named an excellent suggestion' },
  'suggestion.deadline': { zh: '期限提醒', en: 'Deadline warning' },
  'suggestion.deadline_replanned': {
    zh: '按节假日安排调整期限',
    en: 'Deadline re-planned on the announced holidays',
  },
  'suggestion.reply_returned': { zh: '退回重办', en: 'Reply sent back for re-handling' },
  'suggestion.publication_withheld': { zh: '不予公开', en: 'Publication withheld' },
  'suggestion.progress_report_due': { zh: '重点督办进展未按期报送', en: 'Key-item progress report missing' },
  'suggestion.progress_reported': { zh: '报送重点督办进展', en: 'Key-item progress reported' },
};

/** The step labels in one language, as a plain map (event type → label). */
export const stepLabelsIn = (lang: 'zh' | 'en'): Record<string, string> =>
  Object.fromEntries(Object.entries(stepLabels).map(([type, l]) => [type, l[lang]]));

/** The four reply categories (答复类别) of process.md step 8. */
export const replyCategoryLabels: Record<'A' | 'B' | 'C' | 'D', { zh: string; en: string }> = {
  A: { zh: '已解决或采纳', en: 'solved or adopted' },
  B: { zh: '正在解决或列入计划解决', en: 'being solved or in plan' },
  C: { zh: '因条件限制暂时无法解决', en: 'cannot be solved now' },
  D: { zh: '留作参考', en: 'for reference' },
};
