import { api, qs } from '$lib/api';
import { requireUser } from '$lib/page-access';
import type { Appointment, StationDay } from '$lib/intake/records';
import type { PageLoad } from './$types';

// 约见: a deputy's own appointments (confirm, decline); a station's staff see their station's day
// (duties and appointments, attendance); overseers read the list.
export const load: PageLoad = async ({ fetch, parent, url, depends }) => {
  depends('station:appointments');
  const user = await requireUser(parent, [
    'deputy',
    'station_staff',
    'reviewer',
    'coordinator',
    'supervisor',
    'admin',
  ]);
  const list = await api.get<{ items: Appointment[] }>(`/api/appointments${qs({ limit: 200 })}`, { fetch });
  let stations: { id: string; name: string }[] = [];
  let desk: StationDay | null = null;
  if (user.role === 'station_staff') {
    stations = (
      await api.get<{ items: { id: string; name: string }[] }>('/api/messages/my-stations', { fetch })
    ).items;
    const stationId = url.searchParams.get('station') ?? stations[0]?.id;
    if (stationId)
      desk = await api.get<StationDay>(
        `/api/stations/${stationId}/day${qs({ day: url.searchParams.get('day') ?? undefined })}`,
        { fetch },
      );
  }
  return { user, items: list.items, stations, desk };
};
