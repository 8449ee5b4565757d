/** 督办: urging (催办), key supervision (重点督办) with its progress reports, and withholding publication. */
import { condition, setHandler, uuid4 } from '@temporalio/workflow';
import { terminalStatuses } from '@jianyi/domain';
import { acts } from '../activity-proxy';
import { SYSTEM } from '../events';
import { forbidden, wrongState } from '../failures';
import {
  keyItemSignal,
  keySupervisionUpdate,
  progressReportUpdate,
  urgeUpdate,
  withholdPublicationUpdate,
} from '../suggestion.messages';
import type { SuggestionRun } from './run';

export function registerSupervisionHandlers(run: SuggestionRun) {
  const { input, state, audience, base, record, replyingUnitIds } = run;
  // 催办: a coordinator or supervisor urges the handling units at any time while they handle.
  setHandler(
    urgeUpdate,
    async (actor, u) => {
      await record(actor, 'suggestion.urged', { unitId: u.unitId ?? null, note: u.note }, [
        { kind: 'urge', id: uuid4(), unitId: u.unitId ?? null, note: u.note, by: actor.userId },
      ]);
      return state;
    },
    {
      validator: (actor, u) => {
        if (!actor.role || !['coordinator', 'supervisor', 'reviewer'].includes(actor.role))
          throw forbidden(
            '只有督查室、督办领导或代表工委可以催办',
            'only coordinators, supervisors and reviewers urge',
          );
        if (!['assigned', 'handling', 'rehandling'].includes(state.status))
          throw wrongState('仅可对办理中的建议催办', 'only items being handled can be urged');
        if (u.unitId && !audience.unitIds.includes(u.unitId))
          throw wrongState('该单位未承办本件', 'that unit does not handle this item');
      },
    },
  );
  // 重点督办: picked by the chair's council, recorded by the reviewer or a supervisor, with a supervising leader.
  const handlingNow = () => ['assigned', 'handling', 'rehandling'].includes(state.status);
  /**
   * 重点督办 progress reports: each period (monthly by policy) every replying unit reports once; at the
   * end of a period the units that have not reported are named in a progress_report_due notice.
   * Ends when the item is replied or ends.
   */
  const progressReports = async () => {
    let from = new Date().toISOString();
    for (let period = 1; ; period++) {
      const { at } = await acts.nextProgressReport(base.policyVersion, from);
      state.progress = { period, dueAt: at, reported: [] };
      const ended = await condition(
        () => ['replied', 'closed', 'published'].includes(state.status) || terminalStatuses.has(state.status),
        Math.max(0, Date.parse(at) - Date.now()),
      );
      if (ended) {
        state.progress = { ...state.progress, dueAt: null };
        return;
      }
      from = at;
      const reported = state.progress.reported;
      const missing = replyingUnitIds.filter((u) => !reported.includes(u));
      if (handlingNow() && missing.length > 0)
        await record(SYSTEM, 'suggestion.progress_report_due', { period, unitIds: missing });
    }
  };
  setHandler(
    keySupervisionUpdate,
    async (actor, k) => {
      await record(
        actor,
        'suggestion.key_supervision_set',
        { supervisingLeaderId: k.supervisingLeaderId ?? null },
        [{ kind: 'key', supervisingLeaderId: k.supervisingLeaderId ?? null }],
      );
      run.keySupervision = true;
      if (run.patches.keyItems) {
        // Replies on key items are signed off per the policy's key rule (principal leader).
        for (const c of run.children) await c.signal(keyItemSignal).catch(() => undefined);
        void progressReports();
      }
      return state;
    },
    {
      validator: (actor, _k) => {
        if (!actor.role || !['reviewer', 'supervisor'].includes(actor.role))
          throw forbidden(
            '只有代表工委或督办领导可以确定重点督办',
            'only reviewers and supervisors set key supervision',
          );
        if (run.keySupervision) throw wrongState('已列为重点督办', 'already under key supervision');
        if (!['accepted', 'assigned', 'handling', 'rehandling'].includes(state.status))
          throw wrongState(
            '仅可对已立案未答复的建议确定重点督办',
            'only accepted items not yet replied can be put under key supervision',
          );
      },
    },
  );

  setHandler(
    progressReportUpdate,
    async (actor, pr) => {
      const progress = state.progress!;
      progress.reported.push(pr.unitId);
      await record(actor, 'suggestion.progress_reported', { unitId: pr.unitId, period: progress.period }, [
        {
          kind: 'progress',
          id: uuid4(),
          unitId: pr.unitId,
          period: progress.period,
          summary: pr.summary,
          by: actor.userId,
        },
      ]);
      return state;
    },
    {
      validator: (actor, pr) => {
        if (
          !actor.role ||
          !['unit_handler', 'unit_leader'].includes(actor.role) ||
          actor.unitId !== pr.unitId
        )
          throw forbidden('只有承办单位报送办理进展', 'only a handling unit reports its progress');
        if (!state.progress || !replyingUnitIds.includes(pr.unitId) || !handlingNow())
          throw wrongState(
            '本件不在重点督办办理中,无需报送进展',
            'progress reports are for key items being handled by their replying units',
          );
        if (state.progress.reported.includes(pr.unitId))
          throw wrongState('本期进展已报送', "this period's progress report is already in");
      },
    },
  );

  // 答复公开 unless confidential (涉密, the reviewer's call) or the lead deputy objects with reasons.
  setHandler(
    withholdPublicationUpdate,
    async (actor, w) => {
      const kind = actor.role === 'reviewer' ? ('confidential' as const) : ('objection' as const);
      state.publicationWithheld = { kind, reason: w.reason };
      await record(actor, 'suggestion.publication_withheld', { kind, reason: w.reason }, [
        { kind: 'confidential' },
      ]);
      return state;
    },
    {
      validator: (actor, _w) => {
        const lead = actor.role === 'deputy' && actor.userId === input.submittedBy.userId;
        if (actor.role !== 'reviewer' && !lead)
          throw forbidden(
            '只有代表工委或领衔代表可以决定不予公开',
            'only the reviewer or the lead deputy can withhold publication',
          );
        if (
          !['accepted', 'assigned', 'handling', 'rehandling', 'replied'].includes(
            run.pendingTo ?? state.status,
          )
        )
          throw wrongState(
            '仅可在办结前决定不予公开',
            'publication can be withheld only before the item is closed',
          );
        if (input.confidential || state.publicationWithheld)
          throw wrongState('本件已确定不予公开', 'publication is already withheld');
      },
    },
  );
}
