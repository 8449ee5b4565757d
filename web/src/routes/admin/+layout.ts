import { requireUser } from '$lib/page-access';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent }) => ({ user: await requireUser(parent, ['admin']) });
