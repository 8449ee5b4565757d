import pino from 'pino';
import { config } from './config';

/**
 * Fields never written to a log whatever object carries them (脱敏): passwords, session ids and tokens,
 * cookies, phone numbers, titles and texts of items (a confidential item's title is confidential).
 * `logs.int.test.ts` checks a log after real requests holds none of them.
 */
export const redactedPaths = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'sessionId',
  'cookie',
  'authorization',
  'phone',
  'title',
  'content',
  'secret',
].flatMap((k) => [k, `*.${k}`]);

export function createLogger(name: string) {
  return pino({
    name,
    level: config.logLevel,
    redact: {
      paths: [...redactedPaths, 'req.headers.cookie', 'req.headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
