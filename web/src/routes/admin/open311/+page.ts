import { api, qs } from '$lib/api';
import type { PageLoad } from './$types';

export interface Open311Client {
  id: string;
  name: string;
  stationId: string;
  stationName: string;
  active: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  requests: number;
  apiKey?: string | null;
}

// Open311 clients (admin; the layout checks the role) and the stations their requests may go to.
export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:open311');
  const [clients, stations] = await Promise.all([
    api.get<{ items: Open311Client[] }>('/api/admin/open311/clients', { fetch }),
    api.get<{ items: { id: string; name: string; active: boolean }[] }>(
      `/api/admin/stations${qs({ pageSize: 200 })}`,
      { fetch },
    ),
  ]);
  return { clients: clients.items, stations: stations.items.filter((s) => s.active) };
};
