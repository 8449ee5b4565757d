import type { AuditEntry } from '@jianyi/api/contracts';
import { api, qs } from '$lib/api';
import { requireUser } from '$lib/page-access';
import type { PageLoad } from './$types';

const FILTERS = ['entityId', 'action', 'from', 'to', 'actorUserId', 'page'] as const;

export const load: PageLoad = async ({ fetch, parent, url }) => {
  await requireUser(parent, ['admin', 'supervisor']);
  const filter = Object.fromEntries(
    FILTERS.map((k) => [k, url.searchParams.get(k) ?? '']).filter(([, v]) => v !== ''),
  ) as Record<string, string>;
  const log = await api.get<{ items: AuditEntry[]; total: number; page: number; pageSize: number }>(
    `/api/audit${qs({ ...filter, pageSize: 50 })}`,
    { fetch },
  );
  return { filter, log };
};
