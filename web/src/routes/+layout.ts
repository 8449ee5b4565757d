import { error } from '@sveltejs/kit';
import { api, isApiError, type User } from '$lib/api';
import type { LayoutLoad } from './$types';

/** The signed-in user for the header navigation; null when nobody is signed in (login page). */
export const load: LayoutLoad = async ({ fetch }) => {
  try {
    const { user } = await api.get<{ user: User }>('/api/me', { fetch });
    return { user: user as User | null };
  } catch (cause) {
    if (isApiError(cause)) {
      if (cause.status === 401) return { user: null as User | null };
      error(cause.status >= 400 && cause.status <= 599 ? cause.status : 503, {
        message: cause.problem.title,
        messageEn: cause.problem.detail,
      });
    }
    throw cause;
  }
};
