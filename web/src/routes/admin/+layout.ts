import { requireUser } from '$lib/oversight/session';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ fetch }) => ({ user: await requireUser(fetch, ['admin']) });
