import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends, parent }) => {
  depends('app:admin-units');
  await parent();
  return {
    units: (
      await api.get<{ items: { id: string; code: string; name: string }[] }>('/api/admin/units', { fetch })
    ).items,
  };
};
