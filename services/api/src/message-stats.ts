/**
 * 一码通 statistics (群众留言统计) for the city, each town (镇/街道) and each station (家站点): messages
 * received, claimed within the claim clock (24 h), answered within 7 working days, forwarded to a unit,
 * turned into suggestions, and the constituents' satisfaction. Merged duplicates (合并办理) are not
 * counted as messages of their own. Overseers only (reviewer, coordinator, supervisor, admin).
 */
import type { DataSource } from 'typeorm';
import { chinaDateOf, type WorkCalendar } from '@jianyi/domain';
import { loadWorkCalendar } from '@jianyi/platform';

export interface MessageStatsRow {
  key: string;
  label: string;
  town: string;
  received: number;
  claimed: number;
  claimedInTime: number;
  claimedInTimeRate: number | null;
  answered: number;
  answeredInTime: number;
  answeredInTimeRate: number | null;
  forwarded: number;
  converted: number;
  rated: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  satisfactionRate: number | null;
}

export const messageStatsDefinitions = [
  {
    key: 'claimedInTimeRate',
    zh: '24小时认领率',
    en: 'Claimed within 24 h',
    defZh: '在认领期限(24小时)内由进站代表认领的留言数 ÷ 收到的留言数(合并的重复留言不计)',
    defEn:
      'messages claimed by a deputy within the claim clock (24 h) ÷ messages received (merged duplicates not counted)',
  },
  {
    key: 'answeredInTimeRate',
    zh: '7个工作日答复率',
    en: 'Answered within 7 working days',
    defZh:
      '7个工作日内答复的留言数 ÷ 已答复的留言数;转交单位的按单位答复期限计,代表或工作人员直接答复的按收到之日起 7 个工作日计',
    defEn:
      'messages answered within 7 working days ÷ messages answered; forwarded ones by the unit’s deadline, direct answers 7 working days from receipt',
  },
  {
    key: 'satisfactionRate',
    zh: '满意率',
    en: 'Satisfaction',
    defZh: '(满意 + 基本满意)÷ 群众作出评价的留言数(未评价不计)',
    defEn: '(satisfied + basically satisfied) ÷ messages the constituent rated (unrated not counted)',
  },
];

interface Raw {
  stationId: string | null;
  stationName: string | null;
  town: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  claimOverdue: boolean;
  forwardedAt: Date | null;
  answerDeadlineAt: Date | null;
  answeredAt: Date | null;
  suggestionId: string | null;
  rating: string | null;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const WORKING_DAYS = 7;

function answeredInTime(cal: WorkCalendar, m: Raw): boolean {
  if (!m.answeredAt) return false;
  if (m.answerDeadlineAt) return m.answeredAt.getTime() <= m.answerDeadlineAt.getTime();
  const from = chinaDateOf(m.createdAt.toISOString());
  const to = chinaDateOf(m.answeredAt.toISOString());
  try {
    return cal.workingDaysBetween(from, to) <= WORKING_DAYS;
  } catch {
    return false;
  }
}

function empty(key: string, label: string, town: string): MessageStatsRow {
  return {
    key,
    label,
    town,
    received: 0,
    claimed: 0,
    claimedInTime: 0,
    claimedInTimeRate: null,
    answered: 0,
    answeredInTime: 0,
    answeredInTimeRate: null,
    forwarded: 0,
    converted: 0,
    rated: 0,
    satisfied: 0,
    basicallySatisfied: 0,
    unsatisfied: 0,
    satisfactionRate: null,
  };
}

function add(r: MessageStatsRow, m: Raw, cal: WorkCalendar) {
  r.received++;
  if (m.claimedAt) r.claimed++;
  if (m.claimedAt && !m.claimOverdue) r.claimedInTime++;
  if (m.answeredAt) r.answered++;
  if (answeredInTime(cal, m)) r.answeredInTime++;
  if (m.forwardedAt) r.forwarded++;
  if (m.suggestionId) r.converted++;
  if (m.rating === 'satisfied') r.satisfied++;
  if (m.rating === 'basically_satisfied') r.basicallySatisfied++;
  if (m.rating === 'unsatisfied') r.unsatisfied++;
}

function finish(r: MessageStatsRow): MessageStatsRow {
  r.rated = r.satisfied + r.basicallySatisfied + r.unsatisfied;
  r.claimedInTimeRate = rate(r.claimedInTime, r.received);
  r.answeredInTimeRate = rate(r.answeredInTime, r.answered);
  r.satisfactionRate = rate(r.satisfied + r.basicallySatisfied, r.rated);
  return r;
}

/** Messages received from `from` to `to` (China dates, inclusive; both optional). */
export async function messageStats(
  ds: DataSource,
  f: { from?: string; to?: string },
): Promise<{ total: MessageStatsRow; byTown: MessageStatsRow[]; byStation: MessageStatsRow[] }> {
  const cal = await loadWorkCalendar(ds);
  const rows: Raw[] = await ds.query(
    `SELECT m.station_id AS "stationId", s.name AS "stationName",
            COALESCE(NULLIF(s.town, ''), d.town, '') AS town,
            m.created_at AS "createdAt", m.claimed_at AS "claimedAt", m.claim_overdue AS "claimOverdue",
            m.forwarded_at AS "forwardedAt", m.answer_deadline_at AS "answerDeadlineAt", m.answered_at AS "answeredAt",
            m.suggestion_id AS "suggestionId", m.rating
     FROM messages m LEFT JOIN stations s ON s.id = m.station_id LEFT JOIN deputies d ON d.id = m.deputy_id
     WHERE m.status <> 'merged'
       AND ($1::date IS NULL OR (m.created_at AT TIME ZONE 'Asia/Shanghai')::date >= $1::date)
       AND ($2::date IS NULL OR (m.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date)`,
    [f.from ?? null, f.to ?? null],
  );
  const total = empty('', '全市', '');
  const towns = new Map<string, MessageStatsRow>();
  const stations = new Map<string, MessageStatsRow>();
  for (const m of rows) {
    add(total, m, cal);
    const town = m.town ?? '';
    if (!towns.has(town)) towns.set(town, empty(town, town, town));
    add(towns.get(town)!, m, cal);
    const sk = m.stationId ?? '';
    if (!stations.has(sk)) stations.set(sk, empty(sk, m.stationName ?? '(代表个人二维码)', town));
    add(stations.get(sk)!, m, cal);
  }
  const sort = (a: MessageStatsRow, b: MessageStatsRow) =>
    a.town.localeCompare(b.town, 'zh-CN') || a.label.localeCompare(b.label, 'zh-CN');
  return {
    total: finish(total),
    byTown: [...towns.values()].map(finish).sort(sort),
    byStation: [...stations.values()].map(finish).sort(sort),
  };
}
