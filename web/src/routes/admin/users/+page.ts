import { api, qs } from '$lib/api';
import type { UserRecord } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export type AdminUser = UserRecord;

export const load: PageLoad = async ({ fetch, depends, parent, url }) => {
  depends('app:admin-users');
  await parent();
  const q = url.searchParams.get('q') ?? '';
  const [users, units, deputies] = await Promise.all([
    api.get<{ items: AdminUser[]; total: number }>(`/api/admin/users${qs({ q, pageSize: 200 })}`, { fetch }),
    api.get<{ items: { id: string; name: string }[] }>('/api/admin/units', { fetch }),
    api.get<{ items: { id: string; name: string; town: string }[] }>('/api/admin/deputies?pageSize=200', {
      fetch,
    }),
  ]);
  return { q, users: users.items, total: users.total, units: units.items, deputies: deputies.items };
};
