/**
 * The API's contracts, for whoever calls the API: the web imports the types inferred from these
 * schemas (`import type … from '@jianyi/api/contracts'`) instead of writing copies. Only zod and
 * import-free domain modules are imported here, never server code.
 */
export * from './admin';
export * from './audit';
export * from './auth';
export * from './common';
export * from './deputies';
export * from './exports';
export * from './notifications';
export * from './public';
export * from './stats';
export * from './suggestions';
export * from './text';
export * from './workbench';
export * from './intake';
export * from './print';
export * from './attachments';
export * from './imports';
export * from './station-records';
