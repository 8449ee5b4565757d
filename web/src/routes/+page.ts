import { error, redirect } from '@sveltejs/kit';
import { api, isApiError, type User } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  try {
    const { user } = await api.get<{ user: User }>('/api/me', { fetch });
    return { user };
  } catch (cause) {
    if (isApiError(cause)) {
      if (cause.status === 401) redirect(303, '/login');
      error(cause.status >= 400 && cause.status <= 599 ? cause.status : 503, {
        message: cause.problem.title,
        messageEn: cause.problem.detail,
      });
    }
    throw cause;
  }
};
