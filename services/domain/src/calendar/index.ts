/**
 * Pure calendar API (safe for Temporal workflow code).
 * `./seed` (chinese-days data) is deliberately not re-exported here.
 */
export * from './civil';
export * from './work-calendar';
export * from './working-hours';
