/**
 * Who is told about which event (PURE: no I/O; the notifier resolves the plan to users).
 *
 * - the deputies (lead deputy 领衔代表 and co-signers 联名代表) hear of what happens to their item;
 * - the units' users hear of assignment, urging (催办), deadlines and decisions on their requests;
 * - reviewers (代表工委) hear of new submissions and of units' requests (re-assignment, extension),
 *   and get a copy of every reply, as do the coordinators (政府督查室);
 * - on a red warning (overdue, 超期) the notice also goes to every supervisor and to the unit's
 *   leaders: "escalation to the supervisor and the unit leader" (process.md, deadline warnings).
 * The actor of a step is never told about their own step.
 */
import type { Role, SuggestionEvent } from '@jianyi/domain';

export interface RecipientPlan {
  /** Users linked to these deputies. */
  deputyIds: string[];
  /** Every user of these units. */
  unitIds: string[];
  /** Only the unit_leader users of these units. */
  unitLeaderUnitIds: string[];
  /** Every active user with one of these roles. */
  roles: Role[];
  /** These users. */
  userIds: string[];
  /** Units whose group robot (webhook) gets the notice: the units the notice is for. */
  webhookUnitIds: string[];
  /** The notice is an escalation (超期): it also goes to every supervisor and the unit's leaders. */
  escalation: boolean;
}

const empty = (): RecipientPlan => ({
  deputyIds: [],
  unitIds: [],
  unitLeaderUnitIds: [],
  roles: [],
  userIds: [],
  webhookUnitIds: [],
  escalation: false,
});

export function recipientPlan(event: SuggestionEvent): RecipientPlan {
  const p = empty();
  const deputies = () => p.deputyIds.push(...event.data.audience.deputyIds);
  const units = (ids: string[]) => {
    p.unitIds.push(...ids);
    p.webhookUnitIds.push(...ids);
  };
  const allUnits = () => units(event.data.audience.unitIds);
  switch (event.type) {
    case 'suggestion.submitted':
      p.roles.push('reviewer');
      break;
    case 'suggestion.withdrawn':
      p.roles.push('reviewer');
      allUnits();
      break;
    case 'suggestion.returned':
    case 'suggestion.accepted':
    case 'suggestion.rejected':
    case 'suggestion.converted':
    case 'suggestion.merged':
    case 'suggestion.handling_started':
    case 'suggestion.replied':
    case 'suggestion.closed':
    case 'suggestion.published':
    case 'suggestion.follow_up_reported':
      deputies();
      break;
    case 'suggestion.assigned':
      deputies();
      units([
        ...new Set([
          ...(event.data.leadUnitId ? [event.data.leadUnitId] : []),
          ...event.data.unitIds,
          ...event.data.coUnitIds,
        ]),
      ]);
      break;
    case 'suggestion.signed_in':
      deputies();
      break;
    case 'suggestion.contact_logged':
      break; // the deputy took part in the contact; nobody else needs a notice
    case 'suggestion.opinion_sent':
      // The co-handler's opinion goes to the other units of the item (the lead unit among them).
      units(event.data.audience.unitIds.filter((u) => u !== event.data.unitId));
      break;
    case 'suggestion.reply_drafted':
      p.unitLeaderUnitIds.push(event.data.unitId);
      break;
    case 'suggestion.reply_signed':
      p.unitIds.push(event.data.unitId);
      break;
    case 'suggestion.reply_sent':
      deputies();
      p.roles.push('reviewer', 'coordinator');
      break;
    case 'suggestion.rated':
      allUnits();
      p.roles.push('reviewer');
      break;
    case 'suggestion.rehandling':
    case 'suggestion.consultation_recorded':
      deputies();
      allUnits();
      break;
    case 'suggestion.reassignment_requested':
    case 'suggestion.extension_requested':
      p.roles.push('reviewer');
      break;
    case 'suggestion.reassignment_decided':
    case 'suggestion.extension_decided':
    case 'suggestion.follow_up_due':
      units([event.data.unitId]);
      break;
    case 'suggestion.urged':
      // To whoever holds the running clock: the reviewer (pre-review, assignment, a consultation
      // awaited), the units while they handle, the deputies while a rating is awaited.
      if (event.data.addressee === 'reviewer') p.roles.push('reviewer');
      else if (event.data.addressee === 'deputy') deputies();
      else units(event.data.unitId ? [event.data.unitId] : event.data.audience.unitIds);
      break;
    case 'suggestion.key_supervision_set':
      deputies();
      allUnits();
      if (event.data.supervisingLeaderId) p.userIds.push(event.data.supervisingLeaderId);
      break;
    case 'suggestion.marked_excellent':
      // 优秀建议: the signers hear of it; the units whose work it was, too.
      deputies();
      allUnits();
      break;
    case 'suggestion.publication_withheld':
      deputies();
      p.roles.push('reviewer');
      break;
    case 'suggestion.reply_returned':
      // 退回重办: the unit handles again; its leaders sign again; the deputy learns why the reply is not final.
      deputies();
      units([event.data.unitId]);
      break;
    case 'suggestion.progress_report_due':
      units(event.data.unitIds);
      p.roles.push('supervisor');
      break;
    case 'suggestion.progress_reported':
      deputies();
      p.roles.push('supervisor', 'reviewer');
      break;
    case 'suggestion.deadline': {
      const target = event.data.unitId ? [event.data.unitId] : event.data.audience.unitIds;
      if (event.data.clock === 'evaluation')
        deputies(); // the deputy's own clock: rating the reply
      else if (event.data.clock === 'pre_review')
        p.roles.push('reviewer'); // the reviewer's clocks
      else if (event.data.clock === 'assignment') p.roles.push('reviewer', 'coordinator');
      else units(target);
      if (event.data.level === 'red') {
        p.escalation = true;
        p.roles.push('supervisor');
        p.unitLeaderUnitIds.push(...target);
      }
      break;
    }
    case 'suggestion.deadline_replanned':
      deputies();
      // A unit's clock: the unit; the item's own clocks: the reviewer's (pre-review) or the
      // reviewer's and coordinator's (assignment); the deputies' evaluation clock is theirs.
      if (event.data.unitId) units([event.data.unitId]);
      else if (event.data.clock === 'pre_review') p.roles.push('reviewer');
      else if (event.data.clock === 'assignment') p.roles.push('reviewer', 'coordinator');
      break;
    // 历史导入 is history, not news: nobody is told (the import writes it as already published).
    case 'suggestion.imported':
      break;
    default: {
      const never: never = event;
      return never;
    }
  }
  return {
    ...p,
    deputyIds: [...new Set(p.deputyIds)],
    unitIds: [...new Set(p.unitIds)],
    unitLeaderUnitIds: [...new Set(p.unitLeaderUnitIds)],
    roles: [...new Set(p.roles)],
    userIds: [...new Set(p.userIds)],
    webhookUnitIds: [...new Set(p.webhookUnitIds)],
  };
}
