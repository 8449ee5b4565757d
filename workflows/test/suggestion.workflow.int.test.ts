import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resubmitUpdate,
  reviewUpdate,
  stateQuery,
  withdrawUpdate,
} from '../src/workflows/suggestion.messages';
import {
  deputy,
  newSuggestion as create,
  otherDeputy,
  refusal,
  reviewer,
  startTestWorker,
  type TestEnv,
} from './support';

// Pre-review on real Temporal and PostgreSQL.
let env: TestEnv;
const newSuggestion = () => create(env);

describe('suggestion workflow (pre-review)', () => {
  beforeAll(async () => {
    env = await startTestWorker();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('submission writes the status and exactly one outbox event', async () => {
    const s = await newSuggestion();
    expect((await s.row()).status).toBe('submitted');
    expect((await s.events()).map((e) => e.type)).toEqual(['suggestion.submitted']);
    const audit = await env.ds.query(`SELECT action, before, after FROM audit_log WHERE entity_id = $1`, [
      s.id,
    ]);
    expect(audit).toEqual([
      { action: 'suggestion.submitted', before: { status: 'draft' }, after: { status: 'submitted' } },
    ]);
  });

  it('refuses a wrong role and a wrong state before writing anything', async () => {
    const s = await newSuggestion();
    expect(
      await refusal(s.handle.executeUpdate(reviewUpdate, { args: [deputy, { decision: 'accept' }] })),
    ).toBe('Forbidden');
    expect(await refusal(s.handle.executeUpdate(resubmitUpdate, { args: [deputy] }))).toBe('WrongState');
    expect(await refusal(s.handle.executeUpdate(withdrawUpdate, { args: [otherDeputy] }))).toBe('Forbidden');
    expect((await s.events()).map((e) => e.type)).toEqual(['suggestion.submitted']);
    expect((await s.handle.query(stateQuery)).status).toBe('submitted');
  });

  it('returns for revision any number of rounds, then accepts with a registration number', async () => {
    const s = await newSuggestion();
    for (let i = 0; i < 2; i++) {
      const st = await s.handle.executeUpdate(reviewUpdate, {
        args: [reviewer, { decision: 'return', comments: '请补充调研数据' }],
      });
      expect(st.status).toBe('returned');
      expect((await s.handle.executeUpdate(resubmitUpdate, { args: [deputy] })).status).toBe('submitted');
    }
    const accepted = await s.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] });
    expect(accepted.registrationNo).toMatch(/^\d{4}-第\d{4}号$/);
    expect(await s.row()).toEqual({ status: 'accepted', registration_no: accepted.registrationNo });
    expect((await s.events()).map((e) => e.type)).toEqual([
      'suggestion.submitted',
      'suggestion.returned',
      'suggestion.submitted',
      'suggestion.returned',
      'suggestion.submitted',
      'suggestion.accepted',
    ]);
  });

  it('gives each accepted suggestion its own registration number', async () => {
    const [a, b] = await Promise.all([newSuggestion(), newSuggestion()]);
    const [ra, rb] = await Promise.all([
      a.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] }),
      b.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'accept' }] }),
    ]);
    expect(ra.registrationNo).not.toBe(rb.registrationNo);
  });

  it('ends on not-accepted, conversion and withdrawal', async () => {
    const r = await newSuggestion();
    await r.handle.executeUpdate(reviewUpdate, {
      args: [reviewer, { decision: 'reject', reason: '属于个人或家庭事务' }],
    });
    expect((await r.handle.result()).status).toBe('rejected');
    const c = await newSuggestion();
    await c.handle.executeUpdate(reviewUpdate, { args: [reviewer, { decision: 'convert' }] });
    expect((await c.handle.result()).status).toBe('converted');
    const w = await newSuggestion();
    await w.handle.executeUpdate(withdrawUpdate, { args: [deputy] });
    expect((await w.handle.result()).status).toBe('withdrawn');
    expect(await w.row()).toMatchObject({ status: 'withdrawn' });
  });
});
