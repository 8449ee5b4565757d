/** Contracts of /api/auth. */
import { z } from 'zod';

/** POST /api/auth/login. */
export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** POST /api/auth/password: the signed-in user changes their own password. */
export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(12).max(200),
});
export const authLabels = {
  currentPassword: '当前密码',
  newPassword: '新密码',
  username: '用户名',
  password: '密码',
};

/** The signed-in user as the session knows them. */
export const sessionUser = z
  .looseObject({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    deputyId: z.uuid().nullable(),
    unitId: z.uuid().nullable(),
    /** After an admin's password reset: everything but the password change answers 403 until it is changed. */
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'SessionUser' });
/** POST /api/auth/login and GET /api/me. */
export const sessionResponse = z.object({ user: sessionUser });

export type SessionUserView = z.infer<typeof sessionUser>;
