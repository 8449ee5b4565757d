import { api } from '$lib/api';
import type { PageLoad } from './$types';

export interface CalendarRow {
  day: string;
  kind: 'holiday' | 'workday' | 'normal';
  name: string;
  source: 'chinese-days' | 'admin';
}

export const load: PageLoad = async ({ fetch, depends, parent, url }) => {
  depends('app:admin-calendar');
  await parent();
  // China time decides "this month".
  const now = new Date(Date.now() + 8 * 3600_000);
  const year = Number(url.searchParams.get('year') ?? now.getUTCFullYear());
  const month = Number(url.searchParams.get('month') ?? now.getUTCMonth() + 1);
  const y = Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : now.getUTCFullYear();
  const m = Number.isInteger(month) && month >= 1 && month <= 12 ? month : now.getUTCMonth() + 1;
  const cal = await api.get<{
    year: number;
    seeded: boolean;
    state: 'official' | 'provisional' | 'missing';
    years: { year: number; state: 'official' | 'provisional' | 'missing'; source: string | null }[];
    days: CalendarRow[];
  }>(`/api/admin/calendar?year=${y}`, { fetch });
  return { year: y, month: m, seeded: cal.seeded, state: cal.state, years: cal.years, days: cal.days };
};
