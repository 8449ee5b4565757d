/**
 * Support for the authorization matrix (authz-matrix.api.int.test.ts): one logged-in session per
 * role, and drivers that put a fresh suggestion into a given state through the API of the running
 * stack, the way a user would (as lifecycle.api.int.test.ts does), waiting until each step has
 * landed so the item is at rest when the matrix probes it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { connectTemporal, openDataSource, suggestionWorkflowId } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';
import { stateQuery, unitStateQuery, unitWorkflowId } from '@jianyi/workflows';

export const JTJ = demoId('unit:JTJ');
export const JYJ = demoId('unit:JYJ');
export const ZJJ = demoId('unit:ZJJ');

/** The rows of the matrix. "otherUnit" (jyj.handler, unit JYJ) is never assigned to any item here. */
export const roleKeys = [
  'anonymous',
  'leadDeputy',
  'otherDeputy',
  'reviewer',
  'coordinator',
  'supervisor',
  'unitHandler',
  'otherUnit',
  'unitLeader',
  'admin',
] as const;
export type RoleKey = (typeof roleKeys)[number];

export const usernames: Record<Exclude<RoleKey, 'anonymous'>, string> = {
  leadDeputy: 'wangjianguo', // lead deputy (领衔代表) of every item created here
  otherDeputy: 'lixiuying', // another deputy: not the lead of any item here
  reviewer: 'reviewer',
  coordinator: 'coordinator',
  supervisor: 'supervisor',
  unitHandler: 'jtj.handler', // unit JTJ: the assigned unit (lead, or co-handler for the opinion)
  otherUnit: 'jyj.handler', // unit JYJ: never assigned here
  unitLeader: 'jtj.leader', // leader of JTJ, the assigned unit
  admin: 'admin',
};
export const userId = (role: Exclude<RoleKey, 'anonymous'>) => demoId(`user:${usernames[role]}`);

/**
 * The states an item can be driven to. The unit steps of every state act on JTJ; "coSignedIn" has
 * ZJJ as the lead unit and JTJ as co-handler (协办), signed in, so JTJ may send its opinion.
 */
export const itemStates = [
  'draft',
  'submitted',
  'returned',
  'accepted',
  'assigned',
  'signedIn',
  'drafted',
  'signedOff',
  'coSignedIn',
  'pendingRequest',
  'replied',
  'secondUnsatisfied',
  'followUp',
  'keyHandling',
] as const;
export type ItemState = (typeof itemStates)[number];

export interface Item {
  id: string;
  token: string;
  state: ItemState;
}
export type Res = Awaited<ReturnType<ApiSession['call']>>;

export class AuthzWorld {
  private shared = new Map<ItemState, Promise<Item>>();
  private counter = 0;
  /** A random tag in every title, so a list query can find exactly one item. */
  readonly tag = `AZ${randomBytes(4).toString('hex')}`;

  private constructor(
    readonly ds: DataSource,
    readonly temporal: Client,
    readonly as: Record<RoleKey, ApiSession>,
    /** Co-signers (联名) every item of this world names. */
    private cosignerDeputyIds: string[] = [],
  ) {}

  static async open(opts: { cosignerDeputyIds?: string[] } = {}): Promise<AuthzWorld> {
    const [ds, temporal] = await Promise.all([openDataSource(), connectTemporal()]);
    const entries = await Promise.all(
      (Object.entries(usernames) as [Exclude<RoleKey, 'anonymous'>, string][]).map(
        async ([k, u]) => [k, await ApiSession.login(u)] as const,
      ),
    );
    const as = { anonymous: new ApiSession(), ...Object.fromEntries(entries) } as Record<RoleKey, ApiSession>;
    return new AuthzWorld(ds, temporal, as, opts.cosignerDeputyIds);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.ds?.destroy(), this.temporal?.connection.close()]);
  }

  /** One item in `state` shared by read-only checks (built once). */
  sharedItem(state: ItemState): Promise<Item> {
    let p = this.shared.get(state);
    if (!p) {
      p = this.make(state);
      this.shared.set(state, p);
    }
    return p;
  }

  /**
   * What a refused call must not change: status as the owner sees it, outbox and audit rows of the item
   * (a refusal is itself recorded, as access.refused: that row is the refusal, not a change of the item).
   */
  async snapshot(item: Item): Promise<string> {
    const r = await this.as.leadDeputy.call('GET', `/api/suggestions/${item.id}`);
    const rows: { outbox: number; audit: number }[] = await this.ds.query(
      `SELECT (SELECT count(*)::int FROM outbox WHERE aggregate_id = $1::uuid) AS outbox,
              (SELECT count(*)::int FROM audit_log WHERE entity_id = $1::text AND action <> 'access.refused') AS audit`,
      [item.id],
    );
    return `status=${r.status === 200 ? String(r.body.status) : `HTTP ${r.status}`} outbox=${rows[0]!.outbox} audit=${rows[0]!.audit}`;
  }

  // ---- drivers: each returns a fresh item at rest in the named state ----

  async make(state: ItemState): Promise<Item> {
    switch (state) {
      case 'draft':
        return this.draft();
      case 'submitted':
        return this.submitted();
      case 'returned':
        return this.returned();
      case 'accepted':
        return this.accepted();
      case 'assigned':
        return this.assigned();
      case 'signedIn':
        return this.signedIn();
      case 'drafted':
        return this.drafted();
      case 'signedOff':
        return this.signedOff();
      case 'coSignedIn':
        return this.coSignedIn();
      case 'pendingRequest':
        return this.pendingRequest();
      case 'replied':
        return this.replied();
      case 'secondUnsatisfied':
        return this.secondUnsatisfied();
      case 'followUp':
        return this.followUp();
      case 'keyHandling':
        return this.keyHandling();
    }
  }

  async draft(): Promise<Item> {
    const token = `${this.tag}n${++this.counter}x`;
    const r = await this.as.leadDeputy.call(
      'POST',
      '/api/suggestions',
      {
        title: `关于规范共享单车停放的建议 ${token}`,
        content: '地铁站和商圈周边共享单车乱停乱放,占用盲道,建议划定停放区并加强调度。',
        ...(this.cosignerDeputyIds.length ? { cosignerDeputyIds: this.cosignerDeputyIds } : {}),
      },
      { 'Idempotency-Key': randomUUID() },
    );
    expectStep('create draft', r, 201);
    return { id: r.body.id as string, token, state: 'draft' };
  }

  /** Runs on each fresh draft before it is submitted (e.g. to link constituent messages to it). */
  onDraft: ((item: Item) => Promise<void>) | null = null;

  async submitted(): Promise<Item> {
    const it = await this.draft();
    await this.onDraft?.(it);
    expectStep('submit', await this.as.leadDeputy.call('POST', `/api/suggestions/${it.id}/submit`), 202);
    await this.untilStatus(it, 'submitted');
    return { ...it, state: 'submitted' };
  }

  async returned(): Promise<Item> {
    const it = await this.submitted();
    expectStep(
      'review return',
      await this.as.reviewer.call('POST', `/api/suggestions/${it.id}/review`, {
        decision: 'return',
        comments: '请补充具体点位',
      }),
      200,
    );
    await this.untilStatus(it, 'returned');
    return { ...it, state: 'returned' };
  }

  async accepted(): Promise<Item> {
    const it = await this.submitted();
    expectStep(
      'review accept',
      await this.as.reviewer.call('POST', `/api/suggestions/${it.id}/review`, { decision: 'accept' }),
      200,
    );
    await this.untilStatus(it, 'accepted');
    return { ...it, state: 'accepted' };
  }

  /** Accepted, then assigned (主办 + optional 协办) by the reviewer; waits for the units' child workflows. */
  async assigned(lead = JTJ, co: string[] = []): Promise<Item> {
    const it = await this.accepted();
    expectStep(
      'assign',
      await this.as.reviewer.call('POST', `/api/suggestions/${it.id}/assign`, {
        mode: 'lead',
        leadUnitId: lead,
        coUnitIds: co,
      }),
      200,
    );
    await this.untilStatus(it, 'assigned');
    await Promise.all([lead, ...co].map((u) => this.untilUnitReady(it, u, 1)));
    return { ...it, state: 'assigned' };
  }

  async signedIn(): Promise<Item> {
    const it = await this.assigned();
    expectStep('sign-in', await this.unitStep(this.as.unitHandler, it, 'sign-in'), 200);
    await this.untilStatus(it, 'handling'); // the first sign-in starts handling (async in the parent)
    return { ...it, state: 'signedIn' };
  }

  async drafted(): Promise<Item> {
    const it = await this.signedIn();
    await this.contactAndDraft(it);
    return { ...it, state: 'drafted' };
  }

  async signedOff(): Promise<Item> {
    const it = await this.drafted();
    expectStep('sign-off', await this.unitStep(this.as.unitLeader, it, 'reply/sign-off'), 200);
    return { ...it, state: 'signedOff' };
  }

  async coSignedIn(): Promise<Item> {
    const it = await this.assigned(ZJJ, [JTJ]);
    expectStep('co-handler sign-in', await this.unitStep(this.as.unitHandler, it, 'sign-in'), 200);
    await this.untilStatus(it, 'handling');
    return { ...it, state: 'coSignedIn' };
  }

  async pendingRequest(): Promise<Item> {
    const it = await this.assigned();
    expectStep(
      'extension request',
      await this.unitStep(this.as.unitHandler, it, 'requests', extensionRequest),
      200,
    );
    return { ...it, state: 'pendingRequest' };
  }

  async replied(): Promise<Item> {
    const it = await this.signedOff();
    expectStep('send', await this.unitStep(this.as.unitHandler, it, 'reply/send'), 200);
    await this.untilStatus(it, 'replied');
    return { ...it, state: 'replied' };
  }

  /** Two handling rounds, each rated 不满意: the item waits for a recorded consultation (当面协商). */
  async secondUnsatisfied(): Promise<Item> {
    const it = await this.replied();
    expectStep(
      'rate 不满意 (round 1)',
      await this.as.leadDeputy.call('POST', `/api/suggestions/${it.id}/rate`, {
        rating: 'unsatisfied',
        comment: '未解决',
      }),
      200,
    );
    await this.untilStatus(it, 'rehandling');
    await this.untilUnitReady(it, JTJ, 2);
    expectStep('sign-in (round 2)', await this.unitStep(this.as.unitHandler, it, 'sign-in'), 200);
    await this.contactAndDraft(it);
    expectStep('sign-off (round 2)', await this.unitStep(this.as.unitLeader, it, 'reply/sign-off'), 200);
    expectStep('send (round 2)', await this.unitStep(this.as.unitHandler, it, 'reply/send'), 200);
    await this.untilStatus(it, 'replied');
    expectStep(
      'rate 不满意 (round 2)',
      await this.as.leadDeputy.call('POST', `/api/suggestions/${it.id}/rate`, {
        rating: 'unsatisfied',
        comment: '仍未解决',
      }),
      200,
    );
    return { ...it, state: 'secondUnsatisfied' };
  }

  /** Signed in and put under key supervision (重点督办): progress reports are open for the lead unit. */
  async keyHandling(): Promise<Item> {
    const it = await this.signedIn();
    expectStep(
      'key supervision',
      await this.as.supervisor.call('POST', `/api/suggestions/${it.id}/key-supervision`, {}),
      200,
    );
    await waitFor(
      `${it.id} progress period`,
      async () =>
        !!(await this.temporal.workflow.getHandle(suggestionWorkflowId(it.id)).query(stateQuery)).progress
          ?.period,
    );
    return { ...it, state: 'keyHandling' };
  }

  /** A B reply (promised date) rated 基本满意: published, with a follow-up (跟踪办理) open for the unit. */
  async followUp(): Promise<Item> {
    const it = await this.signedIn();
    expectStep('contact', await this.unitStep(this.as.unitHandler, it, 'contacts', contactBody), 200);
    expectStep(
      'B reply draft',
      await this.unitStep(this.as.unitHandler, it, 'reply', {
        category: 'B',
        body: '已列入明年城建计划,预计年中完成。',
        promisedDate: '2027-06-30',
      }),
      200,
    );
    expectStep('sign-off', await this.unitStep(this.as.unitLeader, it, 'reply/sign-off'), 200);
    expectStep('send', await this.unitStep(this.as.unitHandler, it, 'reply/send'), 200);
    await this.untilStatus(it, 'replied');
    expectStep(
      'rate',
      await this.as.leadDeputy.call('POST', `/api/suggestions/${it.id}/rate`, {
        rating: 'basically_satisfied',
      }),
      200,
    );
    await this.untilStatus(it, 'published');
    return { ...it, state: 'followUp' };
  }

  // ---- small pieces ----

  unitStep(s: ApiSession, it: Item, path: string, body?: unknown, unitId = JTJ): Promise<Res> {
    return s.call('POST', `/api/suggestions/${it.id}/units/${unitId}/${path}`, body);
  }

  private async contactAndDraft(it: Item): Promise<void> {
    expectStep('contact', await this.unitStep(this.as.unitHandler, it, 'contacts', contactBody), 200);
    expectStep('reply draft', await this.unitStep(this.as.unitHandler, it, 'reply', replyBody), 200);
  }

  /**
   * Both the projection (what GET shows) and the workflow (what validates the next step) are in
   * `status`. The activity commits the projection before the workflow records the new status, so
   * for a moment GET already shows it while the workflow would still refuse the next step (409).
   */
  async untilStatus(it: Item, status: string): Promise<void> {
    await waitFor(
      `${it.id} ${status}`,
      async () =>
        (await this.as.leadDeputy.call('GET', `/api/suggestions/${it.id}`)).body?.status === status &&
        (await this.temporal.workflow.getHandle(suggestionWorkflowId(it.id)).query(stateQuery)).status ===
          status,
    );
  }

  /** The unit's child workflow of this round answers queries (so unit steps reach it). */
  async untilUnitReady(it: Item, unitId: string, round: number): Promise<void> {
    await waitFor(
      `unit workflow ${unitId} round ${round} of ${it.id}`,
      async () =>
        (await this.temporal.workflow.getHandle(unitWorkflowId(it.id, unitId, round)).query(unitStateQuery))
          .round === round,
    );
  }
}

export const contactBody = { contactedOn: '2026-11-25', form: '电话', summary: '电话联系代表了解乱停放点位' };
export const replyBody = { category: 'A', body: '已在地铁站周边划定停放区并增加调度人员。' };
export const extensionRequest = {
  kind: 'extension',
  reason: '需协调多个部门',
  amount: { amount: 1, unit: 'months' },
};
export const reassignmentRequest = { kind: 'reassignment', reason: '该事项属于城管部门职责' };

function expectStep(what: string, r: Res, status: number): void {
  if (r.status !== status)
    throw new Error(
      `setup step "${what}" answered ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`,
    );
}
