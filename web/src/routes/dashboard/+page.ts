import { api } from '$lib/api';
import { OVERSEERS, UNIT_ROLES, qs, requireUser } from '$lib/oversight/session';
import type { PageLoad } from './$types';

export interface StatsRow {
  key: string;
  label: string;
  assigned: number;
  closed: number;
  onTime: number;
  replied: number;
  met: number;
  contacted: number;
  evaluated: number;
  satisfied: number;
  basicallySatisfied: number;
  solved: number;
  solvedAB: number;
  closedRate: number | null;
  onTimeRate: number | null;
  meetingRate: number | null;
  contactRate: number | null;
  satisfiedRate: number | null;
  basicallySatisfiedRate: number | null;
  solvedRate: number | null;
  solvedABRate: number | null;
}
export interface StatsAnswer {
  by: 'unit' | 'town' | 'session';
  rows: StatsRow[];
  total: Omit<StatsRow, 'key' | 'label'>;
  definitions: { key: string; zh: string; en: string; defZh: string; defEn: string }[];
}

export const load: PageLoad = async ({ fetch, url, depends, parent }) => {
  depends('app:stats');
  const user = await requireUser(parent, [...OVERSEERS, ...UNIT_ROLES]);
  const by = (['unit', 'town', 'session'] as const).find((b) => b === url.searchParams.get('by')) ?? 'unit';
  const sessionYear = url.searchParams.get('sessionYear') ?? '';
  const stats = await api.get<StatsAnswer>(`/api/stats${qs({ by, sessionYear })}`, { fetch });
  return { user, by, sessionYear, stats };
};
