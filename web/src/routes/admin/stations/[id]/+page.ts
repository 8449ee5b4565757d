import { api, qs } from '$lib/api';
import type { StationDetail } from '$lib/intake/types';
import type { PageLoad } from './$types';

// One station (admin): its fields, deputies, staff and duty roster; the people who can be attached.
export const load: PageLoad = async ({ fetch, depends, params }) => {
  depends('admin:station');
  const [station, deputies, staff] = await Promise.all([
    api.get<StationDetail>(`/api/admin/stations/${params.id}`, { fetch }),
    api.get<{ items: { id: string; name: string; town: string }[] }>(
      `/api/admin/deputies${qs({ pageSize: 200 })}`,
      { fetch },
    ),
    api.get<{ items: { id: string; username: string; displayName: string; active: boolean }[] }>(
      `/api/admin/users${qs({ role: 'station_staff', pageSize: 200 })}`,
      { fetch },
    ),
  ]);
  return { station, deputies: deputies.items, staffUsers: staff.items };
};
