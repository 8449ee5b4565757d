/** Contracts of /api/auth. */
import { z } from 'zod';

/** POST /api/auth/login. */
export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
