export * from './workflows/suggestion.messages';
export { SA } from './search-attributes';
export type { Activities } from './activities';
export * from './workflows/message.messages';
export * from './workflows/assignment-meeting.messages';
