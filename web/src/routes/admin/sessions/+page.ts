import { api } from '$lib/api';
import type { PageLoad } from './$types';

/** 届次: a congress session with its dates, as GET /api/admin/sessions answers. */
export interface AdminCongressSession {
  id: string;
  term: number;
  session: number;
  name: string;
  startsOn: string;
  endsOn: string;
  suggestions: number;
}

export const load: PageLoad = async ({ fetch, depends, parent }) => {
  depends('app:admin-sessions');
  await parent();
  const r = await api.get<{ items: AdminCongressSession[] }>('/api/admin/sessions', { fetch });
  return { sessions: r.items };
};
