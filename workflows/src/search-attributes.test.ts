import { describe, expect, it } from 'vitest';
import { searchAttributeTypes } from '@jianyi/platform/src/temporal/search-attributes';
import { SA } from './search-attributes';

// `setup` registers platform's list on the namespace; the workflows set the typed keys: the two agree.
const indexed: Record<string, number> = { KEYWORD: 2, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };

describe('search attributes', () => {
  it('setup registers exactly the ones the workflows set, with their types', () => {
    const fromWorkflows = Object.fromEntries(Object.values(SA).map((k) => [k.name, indexed[k.type]]));
    expect(fromWorkflows).toEqual(searchAttributeTypes);
  });
});
