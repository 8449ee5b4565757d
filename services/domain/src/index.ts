export * from './status';
export * from './roles';
export * from './machine';
export * from './events';
