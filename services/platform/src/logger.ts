import pino from 'pino';
import { config } from './config';

export function createLogger(name: string) {
  return pino({ name, level: config.logLevel });
}
export type Logger = ReturnType<typeof createLogger>;
