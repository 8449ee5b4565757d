import { api, qs } from '$lib/api';
import type { PublicListPage } from '$lib/oversight/public';
import type { PageLoad } from './$types';

// Public: no session is needed or checked (the API serves only published, non-confidential items).
export const load: PageLoad = async ({ fetch, url }) => {
  const p = url.searchParams;
  const filter = {
    q: p.get('q') ?? '',
    unitId: p.get('unitId') ?? '',
    sessionYear: p.get('sessionYear') ?? '',
  };
  const page = Math.max(1, Number(p.get('page') ?? '1') || 1);
  const [facets, list] = await Promise.all([
    api.get<{ units: { id: string; name: string }[]; sessions: number[] }>('/api/public/facets', { fetch }),
    api.get<PublicListPage>(`/api/public/replies${qs({ ...filter, page, pageSize: 10 })}`, { fetch }),
  ]);
  return { filter, facets, list };
};
