/**
 * The Chinese texts of every notice (in-app, email, webhook) and of the daily digest, in one module
 * so wording is reviewed in one place. PURE: no I/O.
 */
import { formatChinaInstant, statusLabels, type SuggestionEvent } from '@jianyi/domain';

export interface NoticeContext {
  /** The suggestion's title. */
  title: string;
  registrationNo?: string | null;
  /** Unit names by id (for events that name a unit). */
  unitNames?: Record<string, string>;
}

export interface NoticeText {
  title: string;
  body: string;
}

const ratingZh = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  no_feedback: '未反馈',
} as const;
const clockZh = {
  reply: '答复',
  opinion: '协办意见',
  rehandling: '重新办理',
  evaluation: '满意度测评',
  sign_in: '签收',
  pre_review: '预审',
  assignment: '交办',
} as const;
const levelZh = { reminder: '办理提醒', yellow: '黄牌预警', red: '红牌警告(已超期)' } as const;

const statusZh = (s: string) => statusLabels[s as keyof typeof statusLabels]?.zh ?? s;
const chinaTime = (iso: string) => formatChinaInstant(iso).slice(0, 16).replace('T', ' ');

/** The in-app title and body of an event; email subject and webhook text are built from it. */
export function noticeText(event: SuggestionEvent, ctx: NoticeContext): NoticeText {
  const item = `「${ctx.title}」${ctx.registrationNo ? `(${ctx.registrationNo})` : ''}`;
  const unit = (id: string | null | undefined) => (id ? (ctx.unitNames?.[id] ?? '承办单位') : '承办单位');
  const d = event.data;
  switch (event.type) {
    case 'suggestion.submitted':
      return { title: '新建议待审查', body: `建议${item}已提交,等待预审。` };
    case 'suggestion.withdrawn':
      return { title: '建议已撤回', body: `建议${item}已由代表撤回,办理终止。` };
    case 'suggestion.returned':
      return { title: '建议退回修改', body: `您的建议${item}被退回修改。退回意见:${event.data.comments}` };
    case 'suggestion.accepted':
      return {
        title: '建议已立案',
        body: `您的建议「${ctx.title}」已立案,立案号:${event.data.registrationNo}。`,
      };
    case 'suggestion.rejected':
      return { title: '建议不予立案', body: `您的建议${item}不予立案。理由:${event.data.reason}` };
    case 'suggestion.converted':
      return {
        title: '建议转来信处理',
        body: `您的建议${item}已转为来信处理。${event.data.reason ? `理由:${event.data.reason}` : ''}`,
      };
    case 'suggestion.merged':
      return {
        title: '建议已并案',
        body: `您的建议${item}已与其他建议并案办理。${event.data.reason ? `理由:${event.data.reason}` : ''}`,
      };
    case 'suggestion.assigned': {
      const units = [
        ...new Set([
          ...(event.data.leadUnitId ? [event.data.leadUnitId] : []),
          ...event.data.unitIds,
          ...event.data.coUnitIds,
        ]),
      ];
      return { title: '建议已交办', body: `建议${item}已交办${units.map(unit).join('、')},请及时签收办理。` };
    }
    case 'suggestion.handling_started':
      return { title: '建议开始办理', body: `建议${item}已进入办理阶段。` };
    case 'suggestion.signed_in':
      return { title: '承办单位已签收', body: `${unit(event.data.unitId)}已签收建议${item}。` };
    case 'suggestion.contact_logged':
      return {
        title: '办理沟通已记录',
        body: `${unit(event.data.unitId)}记录了与代表的沟通(${event.data.form},${event.data.contactedOn})。`,
      };
    case 'suggestion.opinion_sent':
      return {
        title: '协办意见已送达',
        body: `${unit(event.data.unitId)}已就建议${item}提交协办意见,请主办单位参考。`,
      };
    case 'suggestion.reply_drafted':
      return {
        title: '答复待签发',
        body: `${unit(event.data.unitId)}已起草建议${item}的答复(${event.data.category}类),请单位负责人签发。`,
      };
    case 'suggestion.reply_signed':
      return { title: '答复已签发', body: `建议${item}的答复已签发,可以正式答复代表。` };
    case 'suggestion.reply_sent':
      return {
        title: '收到办理答复',
        body: `${unit(event.data.unitId)}已答复建议${item}(${event.data.category}类)。`,
      };
    case 'suggestion.replied':
      return { title: '建议已答复,请测评', body: `您的建议${item}已全部答复,请在规定时间内进行满意度测评。` };
    case 'suggestion.rated':
      if (event.data.cosigner)
        return {
          title: '联名代表已测评',
          body: `联名代表${event.actor.name ?? ''}对建议${item}的答复测评:${ratingZh[event.data.rating]}。`,
        };
      return { title: '代表已测评', body: `建议${item}的答复测评结果:${ratingZh[event.data.rating]}。` };
    case 'suggestion.publication_withheld':
      return event.data.kind === 'confidential'
        ? {
            title: '建议答复不予公开',
            body: `建议${item}已确定为涉密件,办结后答复不予公开。理由:${event.data.reason}`,
          }
        : {
            title: '代表不同意公开答复',
            body: `领衔代表不同意公开建议${item}的答复,办结后不予公开。理由:${event.data.reason}`,
          };
    case 'suggestion.reply_returned':
      return {
        title: '答复被退回重办',
        body: `${unit(event.data.unitId)}对建议${item}的答复已被退回重新办理。理由:${event.data.reason}`,
      };
    case 'suggestion.progress_report_due':
      return {
        title: '重点督办进展未报送',
        body: `重点督办建议${item}第 ${event.data.period} 期办理进展未按期报送(${event.data.unitIds.map(unit).join('、')}),请尽快报送。`,
      };
    case 'suggestion.progress_reported':
      return {
        title: '重点督办进展已报送',
        body: `${unit(event.data.unitId)}报送了重点督办建议${item}第 ${event.data.period} 期办理进展。`,
      };
    case 'suggestion.rehandling':
      return {
        title: '建议重新办理',
        body: `建议${item}测评为不满意,已交回重新办理(第${event.data.round}轮)。`,
      };
    case 'suggestion.consultation_recorded':
      return { title: '当面协商已记录', body: `建议${item}的当面协商情况已记录。` };
    case 'suggestion.closed':
      return { title: '建议已办结', body: `建议${item}已办结。` };
    case 'suggestion.imported':
      return { title: '历史建议已导入', body: `建议${item}及其答复已作为历史记录导入。` };
    case 'suggestion.published':
      return {
        title: event.data.confidential ? '建议已办结(不公开)' : '答复已公开',
        body: event.data.confidential ? `建议${item}已办结,答复不予公开。` : `建议${item}的答复已公开。`,
      };
    case 'suggestion.reassignment_requested':
      return {
        title: '调整交办申请待审批',
        body: `${unit(event.data.unitId)}申请调整建议${item}的承办单位。理由:${event.data.reason}`,
      };
    case 'suggestion.reassignment_decided':
      return {
        title: event.data.approved ? '调整申请已同意' : '调整申请未同意',
        body: `${unit(event.data.unitId)}关于建议${item}的调整申请${event.data.approved ? '已同意' : '未获同意,请继续办理'}。`,
      };
    case 'suggestion.extension_requested':
      return {
        title: '延期申请待审批',
        body: `${unit(event.data.unitId)}申请延期办理建议${item}。理由:${event.data.reason}`,
      };
    case 'suggestion.extension_decided':
      return {
        title: event.data.approved ? '延期申请已同意' : '延期申请未同意',
        body: `建议${item}的延期申请${event.data.approved ? '已同意' : '未获同意'},答复期限:${chinaTime(event.data.deadlineAt)}。`,
      };
    case 'suggestion.follow_up_due':
      return {
        title: '跟踪办理到期',
        body: `建议${item}承诺的解决时间(${event.data.promisedDate})已到,请报告办理进展或结果。`,
      };
    case 'suggestion.follow_up_reported':
      return {
        title: '跟踪办理进展',
        body: `${unit(event.data.unitId)}报告了建议${item}的${event.data.final ? '最终办理结果' : '办理进展'}。`,
      };
    case 'suggestion.urged': {
      const ask =
        event.data.addressee === 'deputy'
          ? '请在测评期限内对答复进行满意度测评'
          : event.data.addressee === 'reviewer'
            ? '请加快审查、交办'
            : '请加快办理';
      return { title: '催办通知', body: `建议${item}被催办,${ask}。催办意见:${event.data.note}` };
    }
    case 'suggestion.marked_excellent':
      return { title: '评为优秀建议', body: `建议${item}被评为优秀建议。理由:${event.data.reason}` };
    case 'suggestion.key_supervision_set':
      return { title: '列为重点督办', body: `建议${item}已列为重点督办件。` };
    case 'suggestion.deadline': {
      const what = clockZh[event.data.clock];
      const due = chinaTime(event.data.deadlineAt);
      const who = event.data.unitId ? unit(event.data.unitId) : '';
      if (event.data.level === 'red') {
        return {
          title: `超期督办:${what}已超期`,
          body: `${who}办理的建议${item}${what}期限(${due})已过,已超期,请立即办理并报告。`,
        };
      }
      if (event.data.level === 'yellow') {
        return {
          title: `黄牌预警:${what}即将到期`,
          body: `${who}办理的建议${item}${what}期限为 ${due},即将到期,请抓紧办理。`,
        };
      }
      const pct = event.data.fraction === null ? '' : `已用时 ${Math.round(event.data.fraction * 100)}%,`;
      return {
        title: `${levelZh.reminder}:${what}`,
        body: `建议${item}${what}期限为 ${due},${pct}请按时办理。`,
      };
    }
    case 'suggestion.deadline_replanned':
      return {
        title: '办理期限已按节假日安排调整',
        body: event.data.unitId
          ? `${event.data.years.join('、')}年节假日安排已公布,${unit(event.data.unitId)}办理建议${item}的期限由 ${chinaTime(event.data.previousDeadlineAt)} 调整为 ${chinaTime(event.data.deadlineAt)}。`
          : `${event.data.years.join('、')}年节假日安排已公布,建议${item}的${event.data.clock ? clockZh[event.data.clock] : ''}期限由 ${chinaTime(event.data.previousDeadlineAt)} 调整为 ${chinaTime(event.data.deadlineAt)}。`,
      };
    default: {
      const never: never = event;
      return { title: '建议状态更新', body: `建议状态更新为:${statusZh(d.to)}。${String(never)}` };
    }
  }
}

/** Email subject: a fixed prefix so mail rules can file these. */
export const emailSubject = (t: NoticeText) => `【代表建议办理】${t.title}`;

export function emailText(t: NoticeText, recipientName: string): string {
  return `${recipientName}:\n\n${t.body}\n\n请登录代表建议办理平台查看详情。\n(本邮件由系统自动发送,请勿直接回复。)`;
}

/**
 * The text that leaves the platform (email, a unit's group robot on a third-party service) for an
 * item marked confidential (涉密): no title, no registration number, no reason, no kind of step,
 * only that there is something to look at and where. In-app notices stay inside the platform and
 * keep the full text. "Confidential" is the reviewer's mark; the lead deputy's objection to
 * publication (不同意公开) is a different fact and does not make an item confidential.
 */
export function confidentialNoticeText(link: string): NoticeText {
  return {
    title: '您有一条新的建议办理通知',
    body: `您有一条新的建议办理通知(内容不在此显示),请登录代表建议办理平台查看:${link}`,
  };
}

/** Where a person reads the item on the web app (behind the login). */
export const itemLink = (baseUrl: string, suggestionId: string) =>
  `${baseUrl.replace(/\/+$/, '')}/suggestions/${suggestionId}`;

/**
 * The JSON body of a group-robot webhook (企业微信/钉钉 "text" message shape, plus the event for
 * machines). For a confidential item the event's type is left out too: it says what happened.
 */
export function webhookPayload(
  event: Pick<SuggestionEvent, 'id' | 'type' | 'suggestionId' | 'occurredAt'>,
  t: NoticeText,
  opts: { confidential?: boolean } = {},
): Record<string, unknown> {
  return {
    msgtype: 'text',
    text: { content: `【代表建议办理】${t.title}\n${t.body}` },
    event: opts.confidential
      ? { id: event.id, suggestionId: event.suggestionId, occurredAt: event.occurredAt }
      : { id: event.id, type: event.type, suggestionId: event.suggestionId, occurredAt: event.occurredAt },
  };
}

export interface DigestItem {
  title: string;
  registrationNo: string | null;
  deadlineAt: string;
  /** Working days left (0 = due today). */
  daysLeft: number;
}

/**
 * The daily digest of one unit: items whose deadline is near. Confidential (涉密) items are never
 * listed (a mail leaves the platform); only their number is given, with the link to the inbox.
 */
export function digestText(
  unitName: string,
  date: string,
  items: DigestItem[],
  confidential: { count: number; link: string } = { count: 0, link: '' },
): NoticeText {
  const lines = items.map(
    (it, i) =>
      `${i + 1}. 「${it.title}」${it.registrationNo ? `(${it.registrationNo})` : ''} 期限 ${chinaTime(it.deadlineAt)},${it.daysLeft === 0 ? '今日到期' : `剩余 ${it.daysLeft} 个工作日`}`,
  );
  const more = confidential.count
    ? `${lines.length ? '\n' : ''}另有 ${confidential.count} 件建议即将到期(内容不在邮件中显示),请登录平台查看:${confidential.link}`
    : '';
  return {
    title: `每日提醒:${items.length + confidential.count} 件建议即将到期(${date})`,
    body: `${unitName}:\n以下建议即将到期,请抓紧办理:\n${lines.join('\n')}${more}`,
  };
}
