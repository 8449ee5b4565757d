/** Contracts of /api/auth. */
import { z } from 'zod';

/** POST /api/auth/login. */
export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** The signed-in user as the session knows them. */
export const sessionUser = z
  .looseObject({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    deputyId: z.uuid().nullable(),
    unitId: z.uuid().nullable(),
  })
  .meta({ id: 'SessionUser' });
/** POST /api/auth/login and GET /api/me. */
export const sessionResponse = z.object({ user: sessionUser });

export type SessionUserView = z.infer<typeof sessionUser>;
