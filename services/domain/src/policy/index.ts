/**
 * Pure policy API (safe for Temporal workflow code).
 * `./load-files` (node:fs) is deliberately not re-exported here.
 */
export * from './schema';
export * from './registry';
export * from './deadline';
export * from './points-rules';
