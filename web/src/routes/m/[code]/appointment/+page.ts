import { error } from '@sveltejs/kit';
import { api, isApiError } from '$lib/api';
import type { Target } from '$lib/intake/types';
import type { Slot } from '$lib/intake/records';
import type { PageLoad } from './$types';

// Public (一码通, 约见): the duty slots of a station's or deputy's QR target; no session needed.
export const load: PageLoad = async ({ fetch, params }) => {
  const code = encodeURIComponent(params.code);
  try {
    const [target, slots] = await Promise.all([
      api.get<Target>(`/api/intake/targets/${code}`, { fetch }),
      api.get<{ items: Slot[] }>(`/api/intake/targets/${code}/slots`, { fetch }),
    ]);
    return { target, slots: slots.items };
  } catch (cause) {
    if (isApiError(cause) && cause.status === 404)
      error(404, { message: '二维码无效或站点已停用', messageEn: 'This QR code is not valid.' });
    throw cause;
  }
};
