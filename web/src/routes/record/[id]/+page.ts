import { api, qs } from '$lib/api';
import { requireUser } from '$lib/page-access';
import type { DeputyRecord } from '$lib/intake/records';
import type { PageLoad } from './$types';

// 履职档案 of one deputy (the deputy themself, reviewer, supervisor, admin; the API decides).
export const load: PageLoad = async ({ fetch, parent, params, url }) => {
  const user = await requireUser(parent, ['deputy', 'reviewer', 'supervisor', 'admin']);
  const year = url.searchParams.get('year') ?? '';
  const record = await api.get<DeputyRecord>(`/api/deputies/${params.id}/record${qs({ year })}`, { fetch });
  return { user, record, year };
};
