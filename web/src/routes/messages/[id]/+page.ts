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
  return { user, message, units };
};
