import { api, qs } from '$lib/api';
import { requireUser } from '$lib/page-access';
import { MESSAGE_ROLES, type Message } from '$lib/intake/types';
import type { PageLoad } from './$types';

export const _PAGE_SIZE = 20;

// The inbox of constituent messages (一码通): what the caller may see (the API decides), by status and
// keyword, a page at a time; the filters and the page live in the address.
export const load: PageLoad = async ({ fetch, parent, url, depends }) => {
  depends('intake:messages');
  const user = await requireUser(parent, MESSAGE_ROLES);
  const status = url.searchParams.get('status') ?? '';
  const q = url.searchParams.get('q') ?? '';
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  const [list, stations] = await Promise.all([
    api.get<{ items: Message[]; total: number }>(
      `/api/messages${qs({ status, q, page, limit: _PAGE_SIZE })}`,
      { fetch },
    ),
    api.get<{
      items: {
        id: string;
        name: string;
        onDutyToday: string[];
        myDuties: { day: string; slot: string; slotLabel: string }[];
      }[];
    }>('/api/messages/my-stations', { fetch }),
  ]);
  return { user, status, q, page, total: list.total, items: list.items, stations: stations.items };
};
