/** Contracts of the workbench look-ups (units' requests, directories, inbox, deadline preview). */
import { z } from 'zod';

/** GET /api/unit-requests. */
export const unitRequestListQuery = z.object({
  status: z.enum(['pending', 'approved', 'refused', 'all']).default('pending'),
});
