import { api } from '$lib/api';
import { OVERSEERS, UNIT_ROLES, qs, requireUser } from '$lib/oversight/session';
import type { SupervisionItem } from '$lib/oversight/types';
import type { PageLoad } from './$types';

type Page = { items: SupervisionItem[]; total: number };

export const load: PageLoad = async ({ fetch, url, depends, parent }) => {
  depends('app:supervision');
  const user = await requireUser(parent, [...OVERSEERS, ...UNIT_ROLES]);
  const raw = Number(url.searchParams.get('days') ?? '5');
  const days = Number.isInteger(raw) && raw >= 1 && raw <= 120 ? raw : 5;
  const [overdue, atRisk] = await Promise.all([
    api.get<Page>(`/api/supervision/overdue${qs({ pageSize: 200 })}`, { fetch }),
    api.get<Page>(`/api/supervision/at-risk${qs({ days, pageSize: 200 })}`, { fetch }),
  ]);
  return { user, days, overdue, atRisk };
};
