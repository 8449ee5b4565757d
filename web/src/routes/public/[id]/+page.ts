import { error } from '@sveltejs/kit';
import { api, isApiError } from '$lib/api';
import type { PublicItem } from '$lib/oversight/public';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params }) => {
  try {
    return {
      item: await api.get<PublicItem>(`/api/public/replies/${encodeURIComponent(params.id)}`, { fetch }),
    };
  } catch (cause) {
    if (isApiError(cause) && cause.status === 404)
      error(404, { message: '未找到该公开答复', messageEn: 'No published reply with this id.' });
    throw cause;
  }
};
