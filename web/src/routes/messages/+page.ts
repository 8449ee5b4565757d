import { api, qs } from '$lib/api';
import { requireUser } from '$lib/page-access';
import { MESSAGE_ROLES, type Message } from '$lib/intake/types';
import type { PageLoad } from './$types';

// The inbox of constituent messages (一码通): what the caller may see (the API decides).
export const load: PageLoad = async ({ fetch, parent, url, depends }) => {
  depends('intake:messages');
  const user = await requireUser(parent, MESSAGE_ROLES);
  const status = url.searchParams.get('status') ?? '';
  const [list, stations] = await Promise.all([
    api.get<{ items: Message[] }>(`/api/messages${qs({ status, limit: 200 })}`, { fetch }),
    api.get<{
      items: {
        id: string;
        name: string;
        onDutyToday: string[];
        myDuties: { day: string; slot: string; slotLabel: string }[];
      }[];
    }>('/api/messages/my-stations', { fetch }),
  ]);
  return { user, status, items: list.items, stations: stations.items };
};
