import { api } from '$lib/api';
import type { UnitRecord } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends, parent }) => {
  depends('app:admin-units');
  await parent();
  return {
    units: (await api.get<{ items: UnitRecord[] }>('/api/admin/units', { fetch })).items,
  };
};
