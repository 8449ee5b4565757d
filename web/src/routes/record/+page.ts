import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/page-access';
import type { PageLoad } from './$types';

// 履职档案: a deputy's own record is /record/<their id>; overseers pick a deputy from the ranking.
export const load: PageLoad = async ({ parent }) => {
  const user = await requireUser(parent, ['deputy', 'reviewer', 'supervisor', 'admin']);
  redirect(303, user.deputyId ? `/record/${user.deputyId}` : '/ranking');
};
