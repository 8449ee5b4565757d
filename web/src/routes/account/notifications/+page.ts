import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import type { notificationPreferences } from '@jianyi/api/contracts';
import type { z } from 'zod';
import type { PageLoad } from './$types';

export type Preferences = z.infer<typeof notificationPreferences>;

export const load: PageLoad = async ({ parent, fetch }) => {
  const { user } = await parent();
  if (!user) redirect(303, '/login');
  return { user, prefs: await api.get<Preferences>('/api/me/preferences', { fetch }) };
};
