/** Shapes of the public replies API (答复公开), which needs no login: inferred from the API's contracts. */
import type { PublicReplyPage, PublicReplyView } from '@jianyi/api/contracts';

export type PublicListPage = PublicReplyPage;
export type PublicItem = PublicReplyView;
export type PublicReply = PublicReplyView['replies'][number];
