import { error } from '@sveltejs/kit';
import { api, isApiError } from '$lib/api';
import type { Track } from '$lib/intake/types';
import type { PageLoad } from './$types';

// Public: a message's progress by its tracking code (never name or phone).
export const load: PageLoad = async ({ fetch, params, depends }) => {
  depends('intake:track');
  try {
    return { track: await api.get<Track>(`/api/intake/track/${encodeURIComponent(params.code)}`, { fetch }) };
  } catch (cause) {
    if (isApiError(cause) && cause.status === 404)
      error(404, { message: '没有找到这个查询码', messageEn: 'No message has this tracking code.' });
    throw cause;
  }
};
