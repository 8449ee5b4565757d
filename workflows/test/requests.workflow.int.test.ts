import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignUpdate,
  decideRequestUpdate,
  keySupervisionUpdate,
  signInUpdate,
  stateQuery,
  unitRequestUpdate,
  unitStateQuery,
  urgeUpdate,
} from '../src/workflows/suggestion.messages';
import {
  coordinator,
  deputy,
  handleAndReply,
  JTJ,
  jtjHandler,
  JYJ,
  jyjHandler,
  jyjLeader,
  newSuggestion,
  refusal,
  reviewer,
  startTestWorker,
  supervisor,
  until,
  ZJJ,
  type TestEnv,
} from './support';

// Re-assignment requests, extensions, urging and key supervision, on real Temporal and PostgreSQL with
// the `test-fast@1` policy: re-assignment window 3 s, reply 10 s, one extension of at most 5 s, cap 20 s.
let env: TestEnv;

describe('unit requests and supervision', () => {
  beforeAll(async () => {
    env = await startTestWorker();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('re-assigns the item to another unit when the reviewer agrees; the new unit handles and replies', async () => {
    const s = await newSuggestion(env, { accept: true });
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    const jtj = s.unit(JTJ);
    await until(async () => !!(await jtj.query(unitStateQuery)));
    await jtj.executeUpdate(signInUpdate, { args: [jtjHandler] });
    await jtj.executeUpdate(unitRequestUpdate, {
      args: [jtjHandler, { kind: 'reassignment', reason: '校车管理属教育部门职责' }],
    });
    expect(
      await refusal(
        jtj.executeUpdate(unitRequestUpdate, {
          args: [jtjHandler, { kind: 'reassignment', reason: '再次申请' }],
        }),
      ),
    ).toBe('WrongState');
    expect(
      await refusal(
        jtj.executeUpdate(decideRequestUpdate, { args: [deputy, { approve: true, newUnitId: JYJ }] }),
      ),
    ).toBe('Forbidden');
    expect(
      await refusal(jtj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true }] })),
    ).toBe('WrongState'); // no new unit
    await jtj.executeUpdate(decideRequestUpdate, {
      args: [reviewer, { approve: true, newUnitId: JYJ, note: '同意调整至市教育局' }],
    });

    await handleAndReply(s.unit(JYJ), jyjHandler, jyjLeader);
    await until(async () => (await s.status()) === 'replied');
    const rows = await env.ds.query(
      `SELECT unit_id, status FROM assignments WHERE suggestion_id = $1 ORDER BY assigned_at`,
      [s.id],
    );
    expect(rows).toEqual([
      { unit_id: JTJ, status: 'reassigned' },
      { unit_id: JYJ, status: 'replied' },
    ]);
    expect(
      await env.ds.query(`SELECT kind, status, decision_note FROM unit_requests WHERE suggestion_id = $1`, [
        s.id,
      ]),
    ).toEqual([{ kind: 'reassignment', status: 'approved', decision_note: '同意调整至市教育局' }]);
    // The projection is written by the activity; the workflow's own state follows when the activity returns.
    await until(async () => (await s.h.query(stateQuery)).status === 'replied');
    expect((await s.h.query(stateQuery)).status).toBe('replied');
  });

  it('refuses a re-assignment request after the window, and keeps the unit when the reviewer refuses', async () => {
    const s = await newSuggestion(env, { accept: true });
    await s.h.executeUpdate(assignUpdate, {
      args: [reviewer, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [JYJ] }],
    });
    const jtj = s.unit(JTJ);
    await until(async () => !!(await jtj.query(unitStateQuery)));
    await jtj.executeUpdate(unitRequestUpdate, {
      args: [jtjHandler, { kind: 'reassignment', reason: '不属本单位职责' }],
    });
    expect(
      await refusal(
        jtj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true, newUnitId: JYJ }] }),
      ),
    ).toBe('WrongState'); // JYJ already co-handles
    await jtj.executeUpdate(decideRequestUpdate, {
      args: [reviewer, { approve: false, note: '属本单位职责,请继续办理' }],
    });
    expect((await jtj.query(unitStateQuery)).pendingRequest).toBeNull();
    const co = s.unit(JYJ);
    await new Promise((r) => setTimeout(r, 3500)); // past the 3 s window
    expect(
      await refusal(
        co.executeUpdate(unitRequestUpdate, {
          args: [jyjHandler, { kind: 'reassignment', reason: '太晚了' }],
        }),
      ),
    ).toBe('WrongState');
  });

  it('extends the reply deadline once, within the policy limits', async () => {
    const s = await newSuggestion(env, { accept: true });
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    const jtj = s.unit(JTJ);
    await until(async () => !!(await jtj.query(unitStateQuery)));
    const before = (await jtj.query(unitStateQuery)).deadlineAt;
    expect(
      await refusal(
        jtj.executeUpdate(unitRequestUpdate, {
          args: [
            jtjHandler,
            { kind: 'extension', reason: '需跨部门协调', amount: { amount: 50, unit: 'seconds' } },
          ],
        }),
      ),
    ).toBe('WrongState');
    await jtj.executeUpdate(unitRequestUpdate, {
      args: [
        jtjHandler,
        { kind: 'extension', reason: '需跨部门协调', amount: { amount: 5, unit: 'seconds' } },
      ],
    });
    // The reviewer decides (process.md step 6); the coordinator does not.
    expect(
      await refusal(jtj.executeUpdate(decideRequestUpdate, { args: [coordinator, { approve: true }] })),
    ).toBe('Forbidden');
    const decided = await jtj.executeUpdate(decideRequestUpdate, { args: [reviewer, { approve: true }] });
    expect(Date.parse(decided.deadlineAt) - Date.parse(before)).toBe(5000);
    expect(decided.extensions).toBe(1);
    expect(
      await refusal(
        jtj.executeUpdate(unitRequestUpdate, {
          args: [jtjHandler, { kind: 'extension', reason: '再延', amount: { amount: 1, unit: 'seconds' } }],
        }),
      ),
    ).toBe('WrongState');
    const [row] = await env.ds.query(`SELECT deadline_at FROM assignments WHERE suggestion_id = $1`, [s.id]);
    expect(new Date(row.deadline_at).toISOString()).toBe(decided.deadlineAt);
    const events = (await s.events()).map((e) => e.type);
    expect(events).toContain('suggestion.extension_requested');
    expect(events).toContain('suggestion.extension_decided');
  });

  it('records urging by a coordinator and key supervision with a supervising leader; refuses others', async () => {
    const s = await newSuggestion(env, { accept: true });
    // 催办 at any time: before assignment it is addressed to the reviewer (the assignment clock), with no unit.
    expect(
      await refusal(s.h.executeUpdate(urgeUpdate, { args: [coordinator, { note: '请抓紧', unitId: JTJ }] })),
    ).toBe('WrongState');
    await s.h.executeUpdate(urgeUpdate, { args: [coordinator, { note: '请尽快交办' }] });
    expect((await s.events()).find((e) => e.type === 'suggestion.urged')).toMatchObject({
      payload: { data: { addressee: 'reviewer', unitId: null } },
    });
    await s.h.executeUpdate(keySupervisionUpdate, {
      args: [supervisor, { supervisingLeaderId: supervisor.userId! }],
    });
    expect(await refusal(s.h.executeUpdate(keySupervisionUpdate, { args: [deputy, {}] }))).toBe('Forbidden');
    await s.h.executeUpdate(assignUpdate, { args: [reviewer, { mode: 'separate', unitIds: [JTJ] }] });
    await until(async () => (await s.status()) === 'assigned');
    expect(await refusal(s.h.executeUpdate(urgeUpdate, { args: [jtjHandler, { note: '自己催自己' }] }))).toBe(
      'Forbidden',
    );
    expect(
      await refusal(s.h.executeUpdate(urgeUpdate, { args: [coordinator, { note: '请抓紧', unitId: ZJJ }] })),
    ).toBe('WrongState');
    await s.h.executeUpdate(urgeUpdate, {
      args: [coordinator, { note: '该件临近答复期限,请抓紧办理', unitId: JTJ }],
    });
    expect(
      await env.ds.query(`SELECT unit_id, note FROM urges WHERE suggestion_id = $1 ORDER BY created_at`, [
        s.id,
      ]),
    ).toEqual([
      { unit_id: null, note: '请尽快交办' },
      { unit_id: JTJ, note: '该件临近答复期限,请抓紧办理' },
    ]);
    expect(
      await env.ds.query(`SELECT key_supervision, supervising_leader_id FROM suggestions WHERE id = $1`, [
        s.id,
      ]),
    ).toEqual([{ key_supervision: true, supervising_leader_id: supervisor.userId }]);
  });
});
