/**
 * The rules of a constituent message (群众留言, 一码通; process.md "Constituent intake") in the same
 * shape as `decide()`: role first (403 `role`), then whose message (403 `not_yours`), then state
 * (409 `state`). The message workflow's validators, the API's `allowedActions` of a message and the
 * pages' buttons all ask `decideMessage()`.
 */
import type { MessageStatus } from '../intake';
import type { Decision } from './index';

export const messageActions = ['claim', 'answer', 'forward', 'convert', 'merge', 'rate'] as const;
export type MessageAction = (typeof messageActions)[number];

export const messageActionLabels: Record<MessageAction, { zh: string; en: string }> = {
  claim: { zh: '认领', en: 'claim' },
  answer: { zh: '答复', en: 'answer' },
  forward: { zh: '转交单位', en: 'forward to a unit' },
  convert: { zh: '转为代表建议', en: 'turn into a suggestion' },
  merge: { zh: '合并重复留言', en: 'merge as a duplicate' },
  rate: { zh: '评价', en: 'rate' },
};

/** Who acts: a signed-in user (role, ids) or the constituent with the tracking code (role null). */
export interface MessageActor {
  userId: string | null;
  role: string | null;
  deputyId?: string | null;
  unitId?: string | null;
}

/** What the rules need to know of the message. */
export interface MessageFacts {
  status: MessageStatus;
  /** The station's deputies (and the addressed deputy): who may claim. */
  deputyIds: readonly string[];
  /** The station's staff users: they take it once the claim clock has run out. */
  staffUserIds: readonly string[];
  /** Nobody claimed it within the claim clock (24 h). */
  claimOverdue: boolean;
  /** The user who claimed it. */
  claimerUserId: string | null;
  /** The unit it was forwarded to. */
  unitId: string | null;
}

const UNIT_ROLES = new Set(['unit_handler', 'unit_leader']);
const no = (status: 403 | 409, code: 'role' | 'not_yours' | 'state', zh: string, en: string): Decision => ({
  ok: false,
  status,
  code,
  reason: { zh, en },
});

export function decideMessage(action: MessageAction, actor: MessageActor, f: MessageFacts): Decision {
  switch (action) {
    case 'claim': {
      const deputy = actor.role === 'deputy' && !!actor.deputyId && f.deputyIds.includes(actor.deputyId);
      const staff = actor.role === 'station_staff' && !!actor.userId && f.staffUserIds.includes(actor.userId);
      if (actor.role !== 'deputy' && actor.role !== 'station_staff')
        return no(403, 'role', '只有代表或站点工作人员可以认领', 'only deputies or station staff may claim');
      if (!deputy && !staff)
        return no(
          403,
          'not_yours',
          '只有本站点的代表或工作人员可以认领',
          'only the station’s deputies or staff may claim',
        );
      if (f.status !== 'pending_claim')
        return no(409, 'state', '留言已被认领', 'the message was already claimed');
      if (staff && !f.claimOverdue)
        return no(
          409,
          'state',
          '代表认领期限未到,工作人员暂不能接手',
          'staff take a message only after the claim period',
        );
      return { ok: true };
    }
    case 'answer': {
      if (actor.role === null) return no(403, 'role', '请登录后答复', 'sign in to answer');
      if (f.status === 'forwarded') {
        if (!UNIT_ROLES.has(actor.role) || actor.unitId !== f.unitId)
          return no(403, 'not_yours', '只有承办单位可以答复', 'only the unit it was forwarded to may answer');
        return { ok: true };
      }
      if (f.status === 'claimed') {
        if (!actor.userId || actor.userId !== f.claimerUserId)
          return no(403, 'not_yours', '只有认领人可以答复', 'only the claimer may answer');
        return { ok: true };
      }
      return no(409, 'state', '当前状态不能答复', 'the message cannot be answered now');
    }
    case 'forward':
    case 'convert': {
      const what = messageActionLabels[action];
      if (action === 'convert' && actor.role !== 'deputy')
        return no(403, 'role', '只有代表可以转为建议', 'only a deputy may turn a message into a suggestion');
      if (actor.role !== 'deputy' && actor.role !== 'station_staff')
        return no(
          403,
          'role',
          `只有代表或站点工作人员可以${what.zh}`,
          `only deputies or station staff may ${what.en}`,
        );
      if (!actor.userId || actor.userId !== f.claimerUserId)
        return no(403, 'not_yours', `只有认领人可以${what.zh}`, `only the claimer may ${what.en}`);
      if (f.status !== 'claimed')
        return no(
          409,
          'state',
          `只有办理中的留言可以${what.zh}`,
          `only a claimed message can be: ${what.en}`,
        );
      return { ok: true };
    }
    case 'merge': {
      // 合并重复留言: a deputy or staff member of the station (or the claimer) folds a message not yet
      // forwarded or answered into another one; the surviving one is chosen and checked by the API.
      if (actor.role !== 'deputy' && actor.role !== 'station_staff')
        return no(
          403,
          'role',
          '只有代表或站点工作人员可以合并留言',
          'only deputies or station staff may merge messages',
        );
      const mine =
        (actor.role === 'deputy' && !!actor.deputyId && f.deputyIds.includes(actor.deputyId)) ||
        (actor.role === 'station_staff' && !!actor.userId && f.staffUserIds.includes(actor.userId)) ||
        (!!actor.userId && actor.userId === f.claimerUserId);
      if (!mine)
        return no(
          403,
          'not_yours',
          '只有本站点的代表或工作人员可以合并留言',
          'only the station’s deputies or staff may merge',
        );
      if (f.status !== 'pending_claim' && f.status !== 'claimed')
        return no(
          409,
          'state',
          '只有待认领或办理中的留言可以合并',
          'only a message waiting or being handled can be merged',
        );
      if (f.status === 'claimed' && actor.userId !== f.claimerUserId)
        return no(403, 'not_yours', '只有认领人可以合并办理中的留言', 'only the claimer may merge it now');
      return { ok: true };
    }
    case 'rate':
      // The constituent, with the tracking code (no account).
      if (f.status !== 'answered')
        return no(409, 'state', '留言尚未答复或已评价', 'not answered yet, or already rated');
      return { ok: true };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The steps this signed-in user may take on the message now (for the pages' buttons). */
export function allowedMessageActions(actor: MessageActor, f: MessageFacts): MessageAction[] {
  return messageActions.filter((a) => a !== 'rate' && decideMessage(a, actor, f).ok);
}
