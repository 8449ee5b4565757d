import { api, qs } from '$lib/api';
import type { DeputyRecord } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export type AdminDeputy = DeputyRecord;

export const load: PageLoad = async ({ fetch, depends, parent, url }) => {
  depends('app:admin-deputies');
  await parent();
  const q = url.searchParams.get('q') ?? '';
  const r = await api.get<{ items: AdminDeputy[]; total: number }>(
    `/api/admin/deputies${qs({ q, pageSize: 200 })}`,
    { fetch },
  );
  return { q, deputies: r.items, total: r.total };
};
