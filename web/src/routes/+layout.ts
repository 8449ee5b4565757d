import { error, redirect } from '@sveltejs/kit';
import { api, isApiError, type User } from '$lib/api';
import type { LayoutLoad } from './$types';

/**
 * The signed-in user, asked once per page for the header and every page below (`await parent()`);
 * null when nobody is signed in (login page). `data` is the server's: the user's language.
 */
export const load: LayoutLoad = async ({ fetch, data, url }) => {
  let user: User;
  try {
    user = (await api.get<{ user: User }>('/api/me', { fetch })).user;
  } catch (cause) {
    if (isApiError(cause)) {
      if (cause.status === 401) return { ...data, user: null as User | null };
      error(cause.status >= 400 && cause.status <= 599 ? cause.status : 503, {
        message: cause.problem.title,
        messageEn: cause.problem.detail,
      });
    }
    throw cause;
  }
  // After an admin's reset the API answers 403 to everything but the change: go there first.
  if (user.mustChangePassword && url.pathname !== '/account/password') redirect(303, '/account/password');
  return { ...data, user: user as User | null };
};
