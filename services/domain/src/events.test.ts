import { describe, expect, it } from 'vitest';
import { parseEvent } from './events';

const base = {
  id: '0b8e2a52-3c55-4d4b-9d55-3f2c1e5b7a10',
  version: 1,
  suggestionId: '5f1d4c3e-2b1a-4c9d-8e7f-6a5b4c3d2e1f',
  occurredAt: '2026-11-28T08:00:00.000Z',
  actor: { userId: null, role: 'reviewer' },
  policyVersion: 'default@2026.1',
};

describe('event contracts', () => {
  it('accepts a well-formed accepted event', () => {
    const e = parseEvent({
      ...base,
      type: 'suggestion.accepted',
      data: {
        from: 'submitted',
        to: 'accepted',
        audience: { deputyIds: [], unitIds: [] },
        registrationNo: '2026-第0001号',
      },
    });
    expect(e.type).toBe('suggestion.accepted');
  });
  it('refuses an accepted event without its registration number', () => {
    expect(() =>
      parseEvent({
        ...base,
        type: 'suggestion.accepted',
        data: { from: 'submitted', to: 'accepted', audience: { deputyIds: [], unitIds: [] } },
      }),
    ).toThrow(/registrationNo/);
  });
  it('refuses an unknown event type and an unknown status', () => {
    expect(() => parseEvent({ ...base, type: 'suggestion.exploded', data: {} })).toThrow();
    expect(() =>
      parseEvent({
        ...base,
        type: 'suggestion.submitted',
        data: { from: 'draft', to: 'nowhere', audience: { deputyIds: [], unitIds: [] } },
      }),
    ).toThrow();
  });
});
