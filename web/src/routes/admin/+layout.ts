import { requireUser } from '$lib/oversight/session';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent }) => ({ user: await requireUser(parent, ['admin']) });
