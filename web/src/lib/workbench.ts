/**
 * Types and calls of the role workbenches (deputy, reviewer, unit), against services/api: the
 * suggestion list and detail, the timeline (GET /api/suggestions/:id/timeline), the directory,
 * the unit inbox, the units' requests, notifications and points.
 */
import type {
  DeadlinePreview,
  deputyDirectory,
  NotificationPage,
  PointsView,
  SuggestionListItem,
  SuggestionListPage,
  TimelineView,
  UnitInbox,
  unitDirectory,
  UnitRequestList,
} from '@jianyi/api/contracts';
import type { z } from 'zod';
import { api, isApiError, qs } from './api';

// Answers of the API: inferred from its contracts (services/api/src/contracts), never copied.
export type { DeadlineInfo, DeadlineLevel, DeadlinePreview, NotificationPage } from '@jianyi/api/contracts';
export type Timeline = TimelineView;
export type TimelineStep = Timeline['steps'][number];
export type Assignment = Timeline['assignments'][number];
export type TimelineDeadline = Timeline['deadlines'][number];
export type Contact = Timeline['contacts'][number];
export type ReplyRecord = Timeline['replies'][number];
export type Evaluation = Timeline['evaluations'][number];
export type UnitRequest = Timeline['requests'][number];
export type UnitRequestListItem = UnitRequestList['items'][number];
export type InboxItem = UnitInbox['items'][number];
export type DeadlinePreviewPart = DeadlinePreview['reply'];
export type Notification = NotificationPage['items'][number];
export type Points = PointsView;
export type PointsEntry = Points['entries'][number];

export type ListItem = SuggestionListItem;
export type ListPage = SuggestionListPage;
export type Unit = z.infer<typeof unitDirectory>['items'][number];
export type Deputy = z.infer<typeof deputyDirectory>['items'][number];

export const suggestionPath = (id: string) => `/api/suggestions/${encodeURIComponent(id)}`;

export function listSuggestions(
  query: Record<string, string | number | boolean | undefined>,
): Promise<ListPage> {
  return api.get<ListPage>(`/api/suggestions${qs(query)}`);
}

export const getTimeline = (id: string) => api.get<Timeline>(`${suggestionPath(id)}/timeline`);
export const getUnits = () => api.get<{ items: Unit[] }>('/api/directory/units').then((r) => r.items);
/** The deputies' directory: `limit` of them, or those found by name, town or delegation (`q`), with how many match. */
export const findDeputies = (q: { q?: string; limit?: number }) =>
  api.get<{ items: Deputy[]; total: number }>(`/api/directory/deputies${qs(q)}`);
/** 督办领导 who may lead a key item. */
export const getSupervisors = () =>
  api
    .get<{ items: { id: string; displayName: string }[] }>('/api/directory/supervisors')
    .then((r) => r.items);
/** Whether the rules module lets the caller take this step now (the item's `allowedActions`). */
export const can = (timeline: Timeline, action: Timeline['suggestion']['allowedActions'][number]) =>
  timeline.suggestion.allowedActions.includes(action);

/**
 * A call to an API another team is building: a 404 (not deployed yet) becomes `null`, so the
 * page can show a friendly "not available" state instead of an error.
 */
export async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

/** The unit step path of one unit's part: sign-in, contacts, reply, reply/sign-off, reply/send, opinion, requests. */
export const unitStepPath = (id: string, unitId: string, step: string) =>
  `${suggestionPath(id)}/units/${encodeURIComponent(unitId)}/${step}`;
