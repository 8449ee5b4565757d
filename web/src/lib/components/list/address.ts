import { goto } from '$app/navigation';
import { qs } from '$lib/api';

/**
 * A paged list whose filters and page live in the address (`/admin/users?role=deputy&q=王&page=2`), so a
 * link or a reload shows the same page: the load reads them with `readList`, the page's toolbar and
 * pager go to `listHref` (focus kept, no new scroll).
 */
export function readList<K extends string>(
  url: URL,
  keys: readonly K[],
): Record<K, string> & { page: number } {
  const out = Object.fromEntries(keys.map((k) => [k, url.searchParams.get(k) ?? ''])) as Record<K, string>;
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  return { ...out, page };
}

export const listHref = (path: string, filters: Record<string, string>, page = 1) =>
  `${path}${qs({ ...filters, page: page > 1 ? page : undefined })}`;

export function goList(path: string, filters: Record<string, string>, page = 1): Promise<void> {
  return goto(listHref(path, filters, page), { keepFocus: true, noScroll: true });
}
