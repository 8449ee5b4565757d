import { api, qs } from '$lib/api';
import { readList } from '$lib/components/list/address';
import type { UnitRecord } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export const _PAGE_SIZE = 20;
export const _FILTERS = ['q', 'kind', 'active'] as const;

// 承办单位 by code, a page at a time: found by code or name, filtered by 单位类别 and state.
export const load: PageLoad = async ({ fetch, depends, parent, url }) => {
  depends('app:admin-units');
  await parent();
  const { page, ...filters } = readList(url, _FILTERS);
  const r = await api.get<{ items: UnitRecord[]; total: number }>(
    `/api/admin/units${qs({ ...filters, page, pageSize: _PAGE_SIZE })}`,
    { fetch },
  );
  return { filters, page, units: r.items, total: r.total };
};
