import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes registered by `setup` (services/platform/src/setup.ts), so an operator can find any item in the Web UI. */
export const SA = {
  status: defineSearchAttributeKey('SuggestionStatus', SearchAttributeType.KEYWORD),
  units: defineSearchAttributeKey('HandlingUnits', SearchAttributeType.KEYWORD_LIST),
  deputies: defineSearchAttributeKey('DeputyIds', SearchAttributeType.KEYWORD_LIST),
  deadline: defineSearchAttributeKey('DeadlineAt', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
};
