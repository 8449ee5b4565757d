import { api } from '$lib/api';
import type { robotList } from '@jianyi/api/contracts';
import type { z } from 'zod';
import type { PageLoad } from './$types';

export type RobotRow = z.infer<typeof robotList>['items'][number];

export const load: PageLoad = async ({ fetch, depends, parent }) => {
  depends('app:admin-robots');
  await parent();
  return { robots: (await api.get<z.infer<typeof robotList>>('/api/admin/robots', { fetch })).items };
};
