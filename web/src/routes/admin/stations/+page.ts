import { api, qs } from '$lib/api';
import type { StationSummary } from '$lib/intake/types';
import type { PageLoad } from './$types';

const PAGE_SIZE = 20;

// 家站点 (admin; the layout checks the role): stations with their QR codes, searched and paged; deputies' own codes.
export const load: PageLoad = async ({ fetch, depends, url }) => {
  depends('admin:stations');
  const q = url.searchParams.get('q') ?? '';
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const [stations, codes] = await Promise.all([
    api.get<{ items: StationSummary[]; total: number; page: number; pageSize: number }>(
      `/api/admin/stations${qs({ q, page, pageSize: PAGE_SIZE })}`,
      { fetch },
    ),
    api.get<{ items: { id: string; name: string; town: string | null; code: string }[] }>(
      '/api/admin/stations/deputy-codes',
      { fetch },
    ),
  ]);
  return {
    q,
    page,
    total: stations.total,
    pages: Math.max(1, Math.ceil(stations.total / PAGE_SIZE)),
    stations: stations.items,
    deputyCodes: codes.items,
  };
};
