import { Router } from 'express';
import type { DataSource } from 'typeorm';
import {
  audit,
  config,
  createSession,
  deleteSession,
  hashPassword,
  sessionTokenHash,
  toSessionUser,
  UserEntity,
  verifyPassword,
} from '@jianyi/platform';
import { HttpProblem, problems } from './http/problem';
import { validate } from './http/validate';
import { authLabels, loginBody, passwordChangeBody } from './contracts/auth';
import { passwordProblems } from './password-policy';
import { currentUser, requireUser } from './http/auth';
import {
  accountKey,
  addressKey,
  auditedUsername,
  clearFailures,
  lockedFor,
  noticeLock,
  recordFailure,
} from './login-throttle';

// Compared against when the user does not exist, so timing does not reveal which usernames exist.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3YbXLUcDJ3BWVtI+3vAGdJhQZnTzw2Ih1Ww46dJGv+E';

export function authRoutes(ds: DataSource): Router {
  const r = Router();
  r.post('/login', async (req, res) => {
    const login = validate(loginBody, req.body);
    const address = req.ip ?? 'unknown';
    const keys = [accountKey(login.username), addressKey(address)];
    const user = await ds.getRepository(UserEntity).findOneBy({ username: login.username });
    const trail = { address, userAgent: req.get('user-agent')?.slice(0, 200) ?? null };
    // Locked (this account, or this address): refused before the password is checked.
    const wait = await lockedFor(ds.manager, keys);
    if (wait > 0) {
      await audit(ds.manager, {
        actorUserId: user?.id ?? null,
        actorRole: null,
        action: 'auth.login_throttled',
        entityType: 'user',
        entityId: auditedUsername(login.username, !!user),
        after: trail,
        requestId: req.requestId ?? null,
      });
      const minutes = Math.ceil(wait / 60);
      res.set('Retry-After', String(wait));
      throw new HttpProblem(
        429,
        `登录失败次数过多，请 ${minutes} 分钟后再试`,
        `too many failed sign-ins; try again in ${minutes} minute(s)`,
      );
    }
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, login.password);
    if (!user || !ok || !user.active) {
      await ds.transaction(async (m) => {
        const t = config.loginThrottle;
        const account = await recordFailure(m, keys[0]!, t.accountFailures);
        await recordFailure(m, keys[1]!, t.addressFailures);
        await audit(m, {
          actorUserId: user?.id ?? null,
          actorRole: null,
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: auditedUsername(login.username, !!user),
          after: { ...trail, failures: account.failures },
          requestId: req.requestId ?? null,
        });
        if (account.lockedNow && user) {
          await audit(m, {
            actorUserId: user.id,
            actorRole: null,
            action: 'auth.account_locked',
            entityType: 'user',
            entityId: user.id,
            after: trail,
          });
          await noticeLock(m, user, Math.ceil(t.lockSeconds / 60), address);
        }
      });
      throw new HttpProblem(401, '用户名或密码错误', 'wrong username or password');
    }
    await clearFailures(ds.manager, keys[0]!);
    const { token, expiresAt } = await createSession(ds, user.id);
    await audit(ds.manager, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
    });
    res.cookie(config.cookieName, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      expires: expiresAt,
      path: '/',
    });
    res.json({ user: toSessionUser(user) });
  });
  r.post('/logout', requireUser(ds), async (req, res) => {
    const u = currentUser(req);
    await deleteSession(ds, (req.cookies as Record<string, string>)[config.cookieName]);
    await audit(ds.manager, {
      actorUserId: u.id,
      actorRole: u.role,
      action: 'auth.logout',
      entityType: 'user',
      entityId: u.id,
    });
    res
      .clearCookie(config.cookieName, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
      })
      .status(204)
      .end();
  });
  /** 修改密码: the user's own password; every other session of theirs ends, this one stays. */
  r.post('/password', requireUser(ds), async (req, res) => {
    const u = currentUser(req);
    const b = validate(passwordChangeBody, req.body, authLabels);
    const row = await ds.getRepository(UserEntity).findOneByOrFail({ id: u.id });
    if (!(await verifyPassword(row.passwordHash, b.currentPassword)))
      throw problems.invalid([
        { field: 'currentPassword', message: '当前密码:不正确', messageEn: 'the current password is wrong' },
      ]);
    const weak = passwordProblems(b.newPassword, 'newPassword', u);
    if (b.newPassword === b.currentPassword)
      weak.push({
        field: 'newPassword',
        message: '新密码:不能与当前密码相同',
        messageEn: 'must differ from the current one',
      });
    if (weak.length) throw problems.invalid(weak);
    const hash = await hashPassword(b.newPassword);
    const token = (req.cookies as Record<string, string>)[config.cookieName];
    await ds.transaction(async (m) => {
      await m.query(`UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1`, [
        u.id,
        hash,
      ]);
      await m.query(`DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, [
        u.id,
        sessionTokenHash(token),
      ]);
      await audit(m, {
        actorUserId: u.id,
        actorRole: u.role,
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: u.id,
        requestId: req.requestId ?? null,
      });
    });
    res.status(204).end();
  });
  return r;
}
