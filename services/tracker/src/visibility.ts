import type { SessionUser } from '@jianyi/platform';
import type { DomainEvent } from '@jianyi/domain';

const seeAll = new Set(['reviewer', 'coordinator', 'supervisor', 'admin']);

/** Whether a user may see an event: their own suggestions, their unit's items, everything for overseers. */
export function canSee(user: SessionUser, event: DomainEvent): boolean {
  if (seeAll.has(user.role)) return true;
  const { deputyIds, unitIds } = event.data.audience;
  if (user.deputyId && deputyIds.includes(user.deputyId)) return true;
  if (user.unitId && unitIds.includes(user.unitId)) return true;
  // A constituent message's audience also names the station's staff users.
  if ('userIds' in event.data.audience && event.data.audience.userIds.includes(user.id)) return true;
  return false;
}
