import { api, qs } from '$lib/api';
import { OVERSEERS, UNIT_ROLES, requireUser } from '$lib/page-access';
import type { PageLoad } from './$types';

export interface DrillItem {
  id: string;
  title: string;
  status: string;
  registrationNo: string | null;
  leadDeputyName: string | null;
  town: string | null;
  sessionYear: number | null;
  closed: boolean;
  onTime: boolean | null;
  replied: boolean | null;
  met: boolean | null;
  solved: boolean | null;
  rating: string | null;
  units: string;
}

export const load: PageLoad = async ({ fetch, url, depends, parent }) => {
  depends('app:stats-items');
  const user = await requireUser(parent, [...OVERSEERS, ...UNIT_ROLES]);
  const p = url.searchParams;
  const by = p.get('by') ?? 'unit';
  const page = Math.max(1, Number(p.get('page') ?? '1') || 1);
  const q = { by, key: p.get('key') ?? '', session: p.get('session') ?? '', page, pageSize: 50 };
  const list = await api.get<{ items: DrillItem[]; total: number; page: number; pageSize: number }>(
    `/api/stats/items${qs(q)}`,
    { fetch },
  );
  return { user, by, key: q.key, label: p.get('label') ?? '', session: q.session, list };
};
