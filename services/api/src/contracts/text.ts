/** Issue 12: likely duplicates, recommended units, the recommendation's agreement, units' remit texts. */
import { z } from 'zod';

/** GET /api/suggestions/similar: the draft's title and first lines. */
export const similarQuery = z.object({
  title: z.string().trim().max(200).default(''),
  content: z.string().trim().max(20000).default(''),
});
/** GET /api/stats/recommendation-agreement. */
export const agreementQuery = z.object({
  days: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(3650))
    .default(90),
});
/** PUT /api/admin/unit-remits/:id: the unit's remit (职责) text, read by the unit recommendation. */
export const unitRemitBody = z.object({ remit: z.string().trim().max(5000) });

const comparedSentence = z.object({ text: z.string(), same: z.boolean() });
/** One likely duplicate (疑似重复): status, the reply if any (its text only where the caller may read it). */
export const similarItem = z.looseObject({
  id: z.string(),
  title: z.string(),
  status: z.string(),
  registrationNo: z.string().nullable(),
  sessionYear: z.number().nullable(),
  leadDeputyName: z.string().nullable(),
  score: z.number(),
  sharedTerms: z.array(z.string()),
  replies: z.array(z.object({ unitName: z.string(), category: z.string(), body: z.string().nullable() })),
  /** Reviewers only: sentences of this text (left) and the other (right), `same` when the other has it. */
  compare: z.object({ left: z.array(comparedSentence), right: z.array(comparedSentence) }).optional(),
});
export type SimilarItem = z.infer<typeof similarItem>;
export const similarItems = z.looseObject({ items: z.array(similarItem), content: z.string().optional() });
const recommendation = z.object({
  unitId: z.string(),
  unitName: z.string(),
  score: z.number(),
  reason: z.string(),
});
export const recommendedUnits = z.looseObject({
  lead: z.array(recommendation),
  coHandlers: z.array(recommendation),
});
export const recommendationAgreement = z.looseObject({
  days: z.number(),
  total: z.number(),
  top1: z.number().nullable(),
  top3: z.number().nullable(),
});
export const unitRemit = z.looseObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  remit: z.string(),
});
export const unitRemits = z.looseObject({ items: z.array(unitRemit) });
export type RecommendedUnits = z.infer<typeof recommendedUnits>;
export type RecommendationAgreement = z.infer<typeof recommendationAgreement>;
export type UnitRemitView = z.infer<typeof unitRemit>;
