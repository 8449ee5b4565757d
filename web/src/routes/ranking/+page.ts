import { api, qs } from '$lib/api';
import { requireUser } from '$lib/page-access';
import type { Ranking } from '$lib/intake/records';
import type { PageLoad } from './$types';

// 履职积分排名 by town and by delegation (reviewer, supervisor, admin).
export const load: PageLoad = async ({ fetch, parent, url }) => {
  await requireUser(parent, ['reviewer', 'supervisor', 'admin']);
  const f = {
    town: url.searchParams.get('town') ?? '',
    delegation: url.searchParams.get('delegation') ?? '',
    year: url.searchParams.get('year') ?? '',
  };
  const ranking = await api.get<Ranking>(
    `/api/points/ranking${qs({ town: f.town || undefined, delegation: f.delegation || undefined, year: f.year || undefined })}`,
    { fetch },
  );
  return { ranking, f };
};
