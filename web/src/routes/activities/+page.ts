import { api } from '$lib/api';
import { requireUser } from '$lib/page-access';
import type { Activity } from '$lib/intake/records';
import type { PageLoad } from './$types';

// 站点活动: the list the caller may see; deputies and station staff record one for their station.
export const load: PageLoad = async ({ fetch, parent, depends }) => {
  depends('station:activities');
  const user = await requireUser(parent, [
    'deputy',
    'station_staff',
    'reviewer',
    'coordinator',
    'supervisor',
    'admin',
  ]);
  const [list, stations, deputies] = await Promise.all([
    api.get<{ items: Activity[] }>('/api/activities', { fetch }),
    api.get<{ items: { id: string; name: string }[] }>('/api/messages/my-stations', { fetch }),
    api.get<{ items: { id: string; name: string; town?: string | null }[] }>('/api/directory/deputies', {
      fetch,
    }),
  ]);
  return { user, items: list.items, stations: stations.items, deputies: deputies.items };
};
