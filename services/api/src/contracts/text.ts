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

export const similarItems = z.looseObject({ items: z.array(z.looseObject({})) });
export const recommendedUnits = z.looseObject({});
export const recommendationAgreement = z.looseObject({});
export const unitRemits = z.looseObject({ items: z.array(z.looseObject({})) });
export const unitRemit = z.looseObject({});
