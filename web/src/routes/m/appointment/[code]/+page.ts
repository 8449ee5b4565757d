import { error } from '@sveltejs/kit';
import { api, isApiError } from '$lib/api';
import type { AppointmentTrack } from '$lib/intake/records';
import type { PageLoad } from './$types';

// Public: an appointment's status by its tracking code (never name or phone).
export const load: PageLoad = async ({ fetch, params, depends }) => {
  depends('intake:appointment');
  try {
    return {
      track: await api.get<AppointmentTrack>(`/api/intake/appointments/${encodeURIComponent(params.code)}`, {
        fetch,
      }),
    };
  } catch (cause) {
    if (isApiError(cause) && cause.status === 404)
      error(404, { message: '没有找到这个查询码', messageEn: 'No appointment has this tracking code.' });
    throw cause;
  }
};
