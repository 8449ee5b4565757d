import { api } from '$lib/api';
import { requireUser } from '$lib/page-access';
import { MESSAGE_ROLES, type Message } from '$lib/intake/types';
import type { PageLoad } from './$types';

// One constituent message with the steps the caller may take (allowedActions, from the rules module).
export const load: PageLoad = async ({ fetch, parent, params, depends }) => {
  depends('intake:message');
  const user = await requireUser(parent, MESSAGE_ROLES);
  const message = await api.get<Message>(`/api/messages/${params.id}`, { fetch });
  const units = message.allowedActions.includes('forward')
    ? (await api.get<{ items: { id: string; name: string }[] }>('/api/directory/units', { fetch })).items
    : [];
  const links = message.allowedActions.includes('convert')
    ? (
        await api.get<{
          items: { id: string; title: string; registrationNo: string | null; messages: number }[];
        }>('/api/messages/link-targets', { fetch })
      ).items
    : [];
  // 合并重复留言: the other messages of the same station (or addressed to the same deputy) still open.
  const siblings = message.allowedActions.includes('merge')
    ? (await api.get<{ items: Message[] }>('/api/messages?limit=200', { fetch })).items.filter(
        (o) =>
          o.id !== message.id &&
          o.status !== 'merged' &&
          (message.stationId ? o.stationId === message.stationId : o.deputyId === message.deputyId),
      )
    : [];
  return { user, message, units, links, siblings };
};
