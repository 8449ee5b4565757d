import { api, qs } from '$lib/api';
import { OVERSEERS, UNIT_ROLES, requireUser } from '$lib/page-access';
import type { StatsTable } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export type StatsAnswer = StatsTable;

export const load: PageLoad = async ({ fetch, url, depends, parent }) => {
  depends('app:stats');
  const user = await requireUser(parent, [...OVERSEERS, ...UNIT_ROLES]);
  const by = (['unit', 'town', 'session'] as const).find((b) => b === url.searchParams.get('by')) ?? 'unit';
  const sessionYear = url.searchParams.get('sessionYear') ?? '';
  const stats = await api.get<StatsAnswer>(`/api/stats${qs({ by, sessionYear })}`, { fetch });
  return { user, by, sessionYear, stats };
};
