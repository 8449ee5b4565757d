import { api, qs } from '$lib/api';
import { readList } from '$lib/components/list/address';
import type { UserRecord } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export type AdminUser = UserRecord;
export const _PAGE_SIZE = 20;
export const _FILTERS = ['q', 'role', 'active', 'unitId'] as const;

// 用户与角色: accounts by login name, a page at a time, found by name or login name and filtered by
// role, state and unit (the API pages and searches; the filters live in the address).
export const load: PageLoad = async ({ fetch, depends, parent, url }) => {
  depends('app:admin-users');
  await parent();
  const filters = readList(url, _FILTERS);
  const { page, ...rest } = filters;
  const [users, units] = await Promise.all([
    api.get<{ items: AdminUser[]; total: number }>(
      `/api/admin/users${qs({ ...rest, page, pageSize: _PAGE_SIZE })}`,
      { fetch },
    ),
    api.get<{ items: { id: string; code: string; name: string }[] }>('/api/directory/units', { fetch }),
  ]);
  return { filters: rest, page, users: users.items, total: users.total, units: units.items };
};
