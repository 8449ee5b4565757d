/**
 * In-app notices for constituent messages (一码通). Who hears of what:
 * - received: the station's deputies (the addressed or on-duty deputy is first in the audience);
 * - claim_overdue (nobody claimed within 24 h): the station's staff, with a warning;
 * - forwarded and the unit's clock (reminders, yellow): the unit's users; red also the unit's
 *   leaders, every supervisor and the station's staff (escalation, as for suggestions);
 * - answered / converted / rated: the claimer and the station's staff (and the unit for a rating).
 * Never the actor of the step; never the constituent's name or phone. Unique per (event, user).
 */
import type { DataSource } from 'typeorm';
import { messageCategoryLabels, messageRatingLabels, type MessageEvent } from '@jianyi/domain';

interface Plan {
  userIds: string[];
  deputyIds: string[];
  unitIds: string[];
  unitLeaderUnitIds: string[];
  roles: string[];
}

export function messagePlan(e: MessageEvent, claimerUserId: string | null): Plan {
  const p: Plan = { userIds: [], deputyIds: [], unitIds: [], unitLeaderUnitIds: [], roles: [] };
  const staff = e.data.audience.userIds;
  const claimer = claimerUserId ? [claimerUserId] : [];
  switch (e.type) {
    case 'message.received':
      p.deputyIds.push(...e.data.audience.deputyIds);
      break;
    case 'message.claim_overdue':
      p.userIds.push(...staff);
      break;
    case 'message.claimed':
    case 'message.converted':
      p.userIds.push(...staff);
      break;
    case 'message.forwarded':
      p.unitIds.push(e.data.unitId);
      break;
    case 'message.deadline':
      p.unitIds.push(e.data.unitId);
      if (e.data.level === 'red') {
        p.unitLeaderUnitIds.push(e.data.unitId);
        p.roles.push('supervisor');
        p.userIds.push(...staff, ...claimer);
      }
      break;
    case 'message.answered':
      p.userIds.push(...staff, ...claimer);
      break;
    case 'message.rated':
      p.userIds.push(...staff, ...claimer);
      p.unitIds.push(...e.data.audience.unitIds);
      break;
    case 'message.merged':
      p.userIds.push(...staff, ...claimer);
      break;
    case 'message.suggestion_answered':
      // The constituent has no account: the claimer and the station's staff are asked to tell them.
      p.userIds.push(...staff, ...claimer);
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  return p;
}

function text(e: MessageEvent, m: { trackingCode: string; category: string; unitName: string | null }) {
  const cat = messageCategoryLabels[m.category as keyof typeof messageCategoryLabels] ?? '其他';
  const ref = `群众留言(${cat},查询码 ${m.trackingCode})`;
  switch (e.type) {
    case 'message.received':
      return { title: '新的群众留言待认领', body: `${ref}已送达本站,请在 24 小时内认领办理。` };
    case 'message.claim_overdue':
      return {
        title: '【预警】群众留言超时未认领',
        body: `${ref}超过认领期限仍无代表认领,请站点工作人员及时处理。`,
      };
    case 'message.claimed':
      return { title: '群众留言已被认领', body: `${ref}已由${e.actor.name ?? '代表'}认领。` };
    case 'message.forwarded':
      return { title: '收到代表转交的群众留言', body: `${ref}已转交本单位办理,请在 7 个工作日内答复。` };
    case 'message.deadline':
      return e.data.level === 'red'
        ? {
            title: '【超期】群众留言逾期未答复',
            body: `${ref}已超过答复期限,${m.unitName ?? '承办单位'}尚未答复。`,
          }
        : {
            title: e.data.level === 'yellow' ? '【临期】群众留言即将到期' : '群众留言办理提醒',
            body: `${ref}的答复期限为 ${e.data.deadlineAt.slice(0, 10)},请抓紧办理。`,
          };
    case 'message.answered':
      return { title: '群众留言已答复', body: `${ref}已由${e.actor.name ?? '办理人'}答复。` };
    case 'message.converted':
      return {
        title: '群众留言已转为代表建议',
        body: `${ref}已由${e.actor.name ?? '代表'}转为代表建议草稿。`,
      };
    case 'message.rated':
      return { title: '群众已评价答复', body: `${ref}的评价:${messageRatingLabels[e.data.rating]}。` };
    case 'message.merged':
      return {
        title: '群众留言已合并办理',
        body: `${ref}已由${e.actor.name ?? '办理人'}作为重复留言合并到另一条留言办理。`,
      };
    case 'message.suggestion_answered':
      return {
        title: '留言形成的代表建议已答复',
        body: `${ref}形成的代表建议${e.data.registrationNo ? `(${e.data.registrationNo})` : ''}已由承办单位答复;群众可凭查询码查看,同意联系的请告知本人。`,
      };
    default: {
      const never: never = e;
      return never;
    }
  }
}

export async function handleMessageEvent(ds: DataSource, e: MessageEvent): Promise<{ inApp: number }> {
  const rows: { trackingCode: string; category: string; claimer: string | null; unitName: string | null }[] =
    await ds.query(
      `SELECT m.tracking_code AS "trackingCode", m.category, m.claimed_by_user_id AS claimer, u.name AS "unitName"
       FROM messages m LEFT JOIN units u ON u.id = m.unit_id WHERE m.id = $1`,
      [e.messageId],
    );
  const m = rows[0];
  if (!m) return { inApp: 0 };
  const plan = messagePlan(e, m.claimer);
  const users: { id: string }[] = await ds.query(
    `SELECT u.id FROM users u
     WHERE u.active AND (u.id = ANY($1::uuid[]) OR u.deputy_id = ANY($2::uuid[]) OR u.unit_id = ANY($3::uuid[])
       OR (u.role = 'unit_leader' AND u.unit_id = ANY($4::uuid[])) OR u.role = ANY($5::text[]))
       AND u.id IS DISTINCT FROM $6::uuid`,
    [plan.userIds, plan.deputyIds, plan.unitIds, plan.unitLeaderUnitIds, plan.roles, e.actor.userId],
  );
  if (!users.length) return { inApp: 0 };
  const t = text(e, m);
  const inserted: unknown[] = await ds.query(
    `INSERT INTO notifications (event_id, user_id, channel, event_type, suggestion_id, title, body)
     SELECT $1, unnest($2::uuid[]), 'in_app', $3, NULL, $4, $5
     ON CONFLICT (event_id, user_id, channel) DO NOTHING RETURNING id`,
    [e.id, users.map((u) => u.id), e.type, t.title, t.body],
  );
  return { inApp: inserted.length };
}
