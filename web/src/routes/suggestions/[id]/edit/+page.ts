import { error, redirect } from '@sveltejs/kit';
import { api, isApiError } from '$lib/api';
import type { Timeline } from '$lib/workbench';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, fetch }) => {
  const { user } = await parent();
  if (!user) redirect(303, '/login');
  try {
    const timeline = await api.get<Timeline>(`/api/suggestions/${encodeURIComponent(params.id)}/timeline`, {
      fetch,
    });
    // A draft, or an item returned for revision (退回修改), is edited here.
    if (!['draft', 'returned'].includes(timeline.suggestion.status))
      redirect(303, `/suggestions/${params.id}`);
    return { user, timeline };
  } catch (cause) {
    if (isApiError(cause))
      error(cause.status === 404 ? 404 : 502, {
        message: cause.problem.title,
        messageEn: cause.problem.detail,
      });
    throw cause;
  }
};
