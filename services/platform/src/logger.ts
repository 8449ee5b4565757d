import pino from 'pino';

export function createLogger(name: string) {
  return pino({ name, level: process.env.JIANYI_LOG_LEVEL ?? 'info' });
}
export type Logger = ReturnType<typeof createLogger>;
