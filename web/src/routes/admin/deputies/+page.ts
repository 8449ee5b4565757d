import { api, qs } from '$lib/api';
import { readList } from '$lib/components/list/address';
import type { DeputyRecord } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export type AdminDeputy = DeputyRecord;
export const _PAGE_SIZE = 20;
export const _FILTERS = ['q', 'level', 'delegation'] as const;

// 代表 by town and name, a page at a time (a province has ~130,000): found by name, town or delegation,
// filtered by 代表团 and 代表层级.
export const load: PageLoad = async ({ fetch, depends, parent, url }) => {
  depends('app:admin-deputies');
  await parent();
  const { page, ...filters } = readList(url, _FILTERS);
  const [r, delegations] = await Promise.all([
    api.get<{ items: AdminDeputy[]; total: number }>(
      `/api/admin/deputies${qs({ ...filters, page, pageSize: _PAGE_SIZE })}`,
      { fetch },
    ),
    api.get<{ items: { delegation: string; deputies: number }[] }>('/api/admin/deputies/delegations', {
      fetch,
    }),
  ]);
  return { filters, page, deputies: r.items, total: r.total, delegations: delegations.items };
};
