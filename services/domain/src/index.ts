export * from './status';
export * from './roles';
export * from './machine';
export * from './events';
export * from './calendar';
export * from './policy';
export * from './rules';
export * from './step-labels';
