import { api } from '$lib/api';
import { requireUser } from '$lib/page-access';
import { MESSAGE_ROLES, type Message, type SimilarToMessage } from '$lib/intake/types';
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
  // 疑似重复: messages of the same station and suggestions that read alike (none for a merged message).
  const similar =
    message.status === 'merged'
      ? null
      : await api.get<SimilarToMessage>(`/api/messages/${params.id}/similar`, { fetch }).catch(() => null);
  // A similar message beyond the first 200 is still offered in the merge form.
  for (const o of similar?.messages ?? [])
    if (message.allowedActions.includes('merge') && !siblings.some((x) => x.id === o.id))
      siblings.push({ ...o, content: o.excerpt } as unknown as Message);
  return { user, message, units, links, siblings, similar };
};
