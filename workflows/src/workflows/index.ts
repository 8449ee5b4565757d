export * from './suggestion.workflow';
