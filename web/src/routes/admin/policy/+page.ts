import { api } from '$lib/api';
import type { PageLoad } from './$types';

export interface PolicySummary {
  key: string;
  name: string;
  description: string | null;
  version: string;
  jurisdiction: { level: string; name: string };
  effectiveFrom: string;
  testOnly: boolean;
  inForce: boolean;
}

export const load: PageLoad = async ({ fetch, depends, parent }) => {
  depends('app:admin-policy');
  await parent();
  return await api.get<{ inForce: string; items: PolicySummary[] }>('/api/admin/policies', { fetch });
};
