/** Shapes of the public replies API (答复公开), which needs no login. */
export interface PublicReply {
  unitId: string;
  unitName: string;
  category: string | null;
  body: string;
  promisedDate: string | null;
  sentAt: string | null;
  round: number;
}
export interface PublicItem {
  id: string;
  registrationNo: string | null;
  title: string;
  topic: string;
  sessionYear: number | null;
  leadDeputyName: string | null;
  publishedAt: string;
  excerpt?: string;
  content?: string;
  replies: PublicReply[];
}
