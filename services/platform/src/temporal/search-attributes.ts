/**
 * The custom search attributes the workflows set (workflows/src/search-attributes.ts defines the typed
 * keys; a unit test there checks the two lists agree), with their Temporal indexed value types
 * (temporal.api.enums.v1.IndexedValueType: KEYWORD 2, BOOL 5, DATETIME 6, KEYWORD_LIST 7).
 */
export const searchAttributeTypes = {
  SuggestionStatus: 2,
  HandlingUnits: 7,
  DeputyIds: 7,
  DeadlineAt: 6,
  Overdue: 5,
} as const;
export type SearchAttributeName = keyof typeof searchAttributeTypes;
