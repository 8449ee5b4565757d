/** Contracts of the printed documents (打印: 代表建议, 答复函, 办理案卷 as PDF). */
import { z } from 'zod';
import { optionalQuery, queryInt, uuid } from './common';

/** GET /api/suggestions/:id/print/reply-letter.pdf: whose reply (required when several units replied) and which round (latest by default). */
export const replyLetterQuery = z.object({
  unitId: optionalQuery(uuid),
  round: optionalQuery(queryInt(1, 99)),
});
