import { error } from '@sveltejs/kit';
import { api, isApiError } from '$lib/api';
import type { Target } from '$lib/intake/types';
import type { PageLoad } from './$types';

// Public (一码通): what a station's or deputy's QR code opens; no session needed.
export const load: PageLoad = async ({ fetch, params }) => {
  try {
    return {
      target: await api.get<Target>(`/api/intake/targets/${encodeURIComponent(params.code)}`, { fetch }),
    };
  } catch (cause) {
    if (isApiError(cause) && cause.status === 404)
      error(404, { message: '二维码无效或站点已停用', messageEn: 'This QR code is not valid.' });
    throw cause;
  }
};
