/**
 * Who may open a page: the load functions of the oversight pages (dashboard, supervision, admin)
 * ask for the signed-in user with one of the page's roles. The public pages do not use it.
 */
import { error, redirect } from '@sveltejs/kit';
import type { User } from '$lib/api';

export const OVERSEERS = ['reviewer', 'coordinator', 'supervisor', 'admin'];
export const UNIT_ROLES = ['unit_handler', 'unit_leader'];

/**
 * The signed-in user (from the root layout's load, which asks /api/me once per page), who must
 * have one of `roles`: nobody signed in → /login, wrong role → 403 page.
 */
export async function requireUser(
  parent: () => Promise<{ user: User | null }>,
  roles: string[],
): Promise<User> {
  const { user } = await parent();
  if (!user) redirect(303, '/login');
  if (!roles.includes(user.role))
    error(403, { message: '无权访问此页面', messageEn: 'Your role may not open this page.' });
  return user;
}
