import { api, qs } from '$lib/api';
import { OVERSEERS, UNIT_ROLES, requireUser } from '$lib/page-access';
import type { StatsTable, StatsTrend } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export type StatsAnswer = StatsTable;

export const load: PageLoad = async ({ fetch, url, depends, parent }) => {
  depends('app:stats');
  const user = await requireUser(parent, [...OVERSEERS, ...UNIT_ROLES]);
  const by =
    (['unit', 'town', 'session', 'topic'] as const).find((b) => b === url.searchParams.get('by')) ?? 'unit';
  // 届次: a congress session's id or interim:<term> (闭会期间), as the rows by session are keyed.
  const session = url.searchParams.get('session') ?? '';
  const [stats, sessions, trend] = await Promise.all([
    api.get<StatsAnswer>(`/api/stats${qs({ by, session })}`, { fetch }),
    // The sessions to filter by: those that have assigned items (the rows of the table by session).
    by === 'session' && !session
      ? null
      : api.get<StatsAnswer>(`/api/stats${qs({ by: 'session' })}`, { fetch }),
    // 按月趋势 of the last 12 months, same filter.
    api.get<StatsTrend>(`/api/stats/trend${qs({ session, months: 12 })}`, { fetch }),
  ]);
  const options = (sessions ?? stats).rows.map((r) => ({ key: r.key, label: r.label }));
  return { user, by, session, sessions: options, stats, trend };
};
