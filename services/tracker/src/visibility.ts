import type { SessionUser } from '@jianyi/platform';
import type { SuggestionEvent } from '@jianyi/domain';

const seeAll = new Set(['reviewer', 'coordinator', 'supervisor', 'admin']);

/** Whether a user may see an event: their own suggestions, their unit's items, everything for overseers. */
export function canSee(user: SessionUser, event: SuggestionEvent): boolean {
  if (seeAll.has(user.role)) return true;
  const { deputyIds, unitIds } = event.data.audience;
  if (user.deputyId && deputyIds.includes(user.deputyId)) return true;
  if (user.unitId && unitIds.includes(user.unitId)) return true;
  return false;
}
