import { api } from '$lib/api';
import type { UnitRemitView } from '@jianyi/api/contracts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends, parent }) => {
  depends('app:admin-remits');
  await parent();
  return {
    units: (await api.get<{ items: UnitRemitView[] }>('/api/admin/unit-remits', { fetch })).items,
  };
};
