export * from './suggestion.workflow';
export * from './message.workflow';
