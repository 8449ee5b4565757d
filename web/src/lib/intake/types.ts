/** Answers of the intake API (一码通), inferred from its contracts. */
import type { z } from 'zod';
import type {
  messageView,
  messageSimilarView,
  targetView,
  trackView,
  messageCreated,
  stationSummary,
  stationDetailView,
} from '@jianyi/api/contracts';

export type Target = z.infer<typeof targetView>;
export type Track = z.infer<typeof trackView>;
export type MessageCreated = z.infer<typeof messageCreated>;
export type Message = z.infer<typeof messageView>;
export type SimilarToMessage = z.infer<typeof messageSimilarView>;
export type StationSummary = z.infer<typeof stationSummary>;
export type StationDetail = z.infer<typeof stationDetailView>;
export const MAX_MESSAGE_CHARS = 2000;
/** Photos a constituent may add on the public form (the API's JIANYI_ATTACHMENT_MAX_MESSAGE_FILES, default 6, decides). */
export const MAX_MESSAGE_PHOTOS = 6;
/** Who may open the message pages (the API decides which messages each sees). */
export const MESSAGE_ROLES = [
  'deputy',
  'station_staff',
  'unit_handler',
  'unit_leader',
  'reviewer',
  'coordinator',
  'supervisor',
  'admin',
];
