/**
 * Types and calls of the role workbenches (deputy, reviewer, unit), against services/api: the
 * suggestion list and detail, the timeline (GET /api/suggestions/:id/timeline), the directory,
 * the unit inbox, the units' requests, notifications and points.
 */
import type {
  DeadlinePreview,
  NotificationPage,
  PointsView,
  TimelineView,
  UnitInbox,
  UnitRequestList,
} from '@jianyi/api/contracts';
import { api, isApiError, type SuggestionSummary } from './api';

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

export interface ListItem extends SuggestionSummary {
  leadDeputyName?: string | null;
  keySupervision?: boolean;
  deadlineAt?: string | null;
  overdue?: boolean;
  units?: { unitId: string; unitName: string; role: string }[];
}

export interface ListPage {
  items: ListItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
}

export interface Deputy {
  id: string;
  name: string;
  town: string;
  level: string;
}

export const suggestionPath = (id: string) => `/api/suggestions/${encodeURIComponent(id)}`;

export function listSuggestions(
  query: Record<string, string | number | boolean | undefined>,
): Promise<ListPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  return api.get<ListPage>(`/api/suggestions?${params}`);
}

export const getTimeline = (id: string) => api.get<Timeline>(`${suggestionPath(id)}/timeline`);
export const getUnits = () => api.get<{ items: Unit[] }>('/api/directory/units').then((r) => r.items);
export const getDeputies = () => api.get<{ items: Deputy[] }>('/api/directory/deputies').then((r) => r.items);
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
