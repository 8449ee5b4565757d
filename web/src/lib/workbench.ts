/**
 * Types and calls of the role workbenches (deputy, reviewer, unit), against services/api: the
 * suggestion list and detail, the timeline (GET /api/suggestions/:id/timeline), the directory,
 * the unit inbox, the units' requests, notifications and points.
 */
import { api, isApiError, type SuggestionSummary } from './api';

export type DeadlineLevel = 'normal' | 'yellow' | 'red';

export interface DeadlineInfo {
  deadlineAt: string;
  deadlineDate: string;
  workingDaysLeft: number;
  overdue: boolean;
  level: DeadlineLevel;
}

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

export interface TimelineStep {
  seq: number;
  eventId: string;
  type: string;
  occurredAt: string;
  actor: { userId: string | null; name: string | null; role: string | null };
  unitId: string | null;
  unitName: string | null;
  from: string | null;
  to: string | null;
  details: Record<string, unknown>;
}

export interface Assignment {
  unitId: string;
  unitName: string;
  role: 'lead' | 'co' | 'separate' | string;
  round: number;
  status: string;
  deadlineAt: string | null;
  signedInAt: string | null;
  assignedAt: string;
  /** When the part ended (reply or opinion sent, re-assigned, or closed with the lead's reply). */
  endedAt?: string | null;
}

export interface TimelineDeadline extends DeadlineInfo {
  scope: 'unit' | 'item';
  unitId: string | null;
  unitName: string | null;
  role: string | null;
  round: number | null;
}

export interface Contact {
  id: string;
  unitId: string;
  unitName: string;
  contactedOn: string;
  form: string;
  summary: string;
  createdAt: string;
  createdByName: string | null;
}

export interface ReplyRecord {
  id: string;
  unitId: string;
  unitName: string;
  round: number;
  category: string | null;
  body: string;
  promisedDate: string | null;
  explanation: string | null;
  createdAt: string;
  signedAt: string | null;
  signedByName: string | null;
  sentAt: string | null;
  draftedByName: string | null;
}

export interface Evaluation {
  round: number;
  rating: string;
  comment: string | null;
  createdAt: string;
  ratedByName: string | null;
}

export interface UnitRequest {
  id: string;
  unitId: string;
  unitName: string;
  round: number;
  kind: 'reassignment' | 'extension';
  reason: string;
  requested: { amount?: number; unit?: string } | null;
  status: 'pending' | 'approved' | 'refused';
  decisionNote: string | null;
  decidedAt: string | null;
  createdAt: string;
  requestedByName?: string | null;
  decidedByName?: string | null;
  suggestionId?: string;
  title?: string;
  registrationNo?: string | null;
}

export interface Timeline {
  suggestion: {
    id: string;
    title: string;
    content: string;
    status: string;
    leadDeputyId: string;
    leadDeputyName: string | null;
    registrationNo: string | null;
    createdAt: string;
    submittedAt: string | null;
    topic: string;
    keySupervision: boolean;
    round: number;
    mergedIntoId: string | null;
    consultationSummary: string | null;
    cosigners: { id: string; name: string }[];
  };
  today: string;
  steps: TimelineStep[];
  assignments: Assignment[];
  deadlines: TimelineDeadline[];
  contacts: Contact[];
  opinions: ReplyRecord[];
  replies: ReplyRecord[];
  evaluations: Evaluation[];
  requests: UnitRequest[];
  cosignerEvaluations: {
    round: number;
    deputyName: string;
    rating: string;
    comment: string | null;
    createdAt: string;
  }[];
  replyReturns: {
    round: number;
    unitName: string;
    reason: string;
    previousCategory: string | null;
    previousBody: string | null;
    createdAt: string;
    returnedByName: string | null;
  }[];
  progressReports: {
    period: number;
    unitName: string;
    summary: string;
    createdAt: string;
    reportedByName: string | null;
  }[];
  /** 退回修改: the text the reviewer saw at each submission, and what changed from the one before. */
  versions?: {
    version: number;
    title: string;
    content: string;
    cosignerDeputyIds: string[];
    cosignerNames: string[];
    submittedAt: string;
    changed: ('title' | 'content' | 'cosigners')[];
  }[];
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

export interface InboxItem {
  id: string;
  title: string;
  status: string;
  registrationNo: string | null;
  leadDeputyName: string | null;
  keySupervision: boolean;
  role: string;
  round: number;
  assignmentStatus: string;
  assignedAt: string;
  signedInAt: string | null;
  deadlineAt: string | null;
  requestPending: boolean;
  deadline: DeadlineInfo | null;
}

export interface DeadlinePreviewPart {
  deadlineAt: string;
  deadlineDate: string;
  workingDays: number;
  duration: { amount: number; unit: string };
}

export interface DeadlinePreview {
  policyKey: string;
  from: string;
  today: string;
  reassignmentRequest: DeadlinePreviewPart;
  coHandlerOpinion: DeadlinePreviewPart;
  reply: DeadlinePreviewPart;
}

export interface Notification {
  id: string;
  eventId: string;
  eventType: string;
  suggestionId: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: Notification[];
  total: number;
  unread: number;
}

export interface PointsEntry {
  id: string;
  eventId: string;
  rule: string;
  points: number;
  suggestionId: string | null;
  createdAt: string;
  reason: string;
}

export interface Points {
  deputyId: string;
  total: number;
  entries: PointsEntry[];
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
