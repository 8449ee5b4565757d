import { api } from '$lib/api';
import { requireUser } from '$lib/page-access';
import type { Training } from '$lib/intake/records';
import type { PageLoad } from './$types';

// 代表讲堂 (training): the sessions with their attendance; the reviewer and the admin record a
// session and add the deputies who attended (the admin can also import a workbook at /admin/import).
export const load: PageLoad = async ({ fetch, parent, depends }) => {
  depends('station:trainings');
  const user = await requireUser(parent, [
    'deputy',
    'station_staff',
    'reviewer',
    'coordinator',
    'supervisor',
    'admin',
  ]);
  const organiser = user.role === 'reviewer' || user.role === 'admin';
  const [list, deputies] = await Promise.all([
    api.get<{ items: Training[] }>('/api/trainings', { fetch }),
    organiser
      ? api.get<{ items: { id: string; name: string; town?: string | null }[] }>('/api/directory/deputies', {
          fetch,
        })
      : Promise.resolve({ items: [] }),
  ]);
  return { user, organiser, items: list.items, deputies: deputies.items };
};
