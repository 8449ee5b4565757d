import { api } from '$lib/api';
import type { StationSummary } from '$lib/intake/types';
import type { PageLoad } from './$types';

// 家站点 (admin; the layout checks the role): stations with their QR codes, deputies' own codes.
export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:stations');
  const [stations, codes] = await Promise.all([
    api.get<{ items: StationSummary[] }>('/api/admin/stations', { fetch }),
    api.get<{ items: { id: string; name: string; town: string | null; code: string }[] }>(
      '/api/admin/stations/deputy-codes',
      { fetch },
    ),
  ]);
  return { stations: stations.items, deputyCodes: codes.items };
};
