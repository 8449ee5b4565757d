/**
 * Password rules (ASVS V2.1): at least 12 characters (up to 200), not a common or guessable password
 * (zxcvbn-ts with its common-password and name dictionaries, score ≥ 3 of 4), and not built from the
 * account's own username or name. Checked when an admin creates an account and when a user changes
 * their password; a reset by an admin issues a random one that must be changed at the next sign-in.
 */
import { randomBytes } from 'node:crypto';
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import type { FieldError } from './http/problem';

zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });

export const PASSWORD_MIN_LENGTH = 12;

/** The reasons a new password is refused (empty when it is acceptable). */
export function passwordProblems(
  password: string,
  field: string,
  account: { username: string; displayName?: string | null },
): FieldError[] {
  const label = field === 'newPassword' ? '新密码' : '密码';
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return [
      {
        field,
        message: `${label}:至少 ${PASSWORD_MIN_LENGTH} 个字符`,
        messageEn: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
      },
    ];
  const lower = password.toLowerCase();
  const own = [account.username, account.displayName ?? ''].filter((x) => x.length >= 3);
  if (own.some((x) => lower.includes(x.toLowerCase())))
    return [
      {
        field,
        message: `${label}:不能包含用户名或姓名`,
        messageEn: 'must not contain the username or the name',
      },
    ];
  if (zxcvbn(password, own).score < 3)
    return [
      {
        field,
        message: `${label}:过于常见或容易猜测，请使用更长、更不规则的密码`,
        messageEn: 'is too common or easy to guess; use a longer, less predictable one',
      },
    ];
  return [];
}

/** A random password for an admin's reset (shown once; it must be changed at the next sign-in). */
export const temporaryPassword = () => randomBytes(12).toString('base64url');
