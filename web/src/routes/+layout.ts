import { api, isApiError, type User } from '$lib/api';
import type { LayoutLoad } from './$types';

/** The signed-in user for the header navigation; null when nobody is signed in (login page). */
export const load: LayoutLoad = async ({ fetch }) => {
  try {
    const { user } = await api.get<{ user: User }>('/api/me', { fetch });
    return { user: user as User | null };
  } catch (cause) {
    if (isApiError(cause) && cause.status === 401) return { user: null as User | null };
    throw cause;
  }
};
