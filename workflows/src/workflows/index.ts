export * from './suggestion.workflow';
export * from './message.workflow';
export * from './assignment-meeting.workflow';
