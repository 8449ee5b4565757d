/**
 * Loading helpers of the oversight pages (dashboard, supervision, admin): who is signed in, and a
 * redirect to /login when nobody is. The public pages do not use them.
 */
import { error, redirect } from '@sveltejs/kit';
import { request, type User } from '$lib/api';

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

export const put = <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body });
export const patch = <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body });

/** A query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** A date (China time) as YYYY-MM-DD. */
export function chinaDate(v: string | null | undefined): string {
  if (!v) return '—';
  const t = Date.parse(v);
  if (Number.isNaN(t)) return v.slice(0, 10);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}
