/** 督办: urging (催办), key supervision (重点督办) with its progress reports, and withholding publication. */
import { condition, setHandler, uuid4 } from '@temporalio/workflow';
import { terminalStatuses, urgeAddressee } from '@jianyi/domain';
import { quick } from '../activity-proxy';
import { SYSTEM } from '../events';
import { check, itemFacts } from './rules';
import {
  keyItemSignal,
  keySupervisionUpdate,
  progressReportUpdate,
  urgeUpdate,
  withholdPublicationUpdate,
} from '../suggestion.messages';
import type { SuggestionRun } from './run';

export function registerSupervisionHandlers(run: SuggestionRun) {
  const { state, base, record, replyingUnitIds } = run;
  // 催办: a coordinator or supervisor urges at any time from submission to closure, addressed to whoever
  // holds the running clock (the reviewer, the units, the lead deputy awaited for a rating).
  setHandler(
    urgeUpdate,
    async (actor, u) => {
      const f = itemFacts(run, actor, true);
      const addressee = urgeAddressee(state.status, f.awaitingConsultation) ?? 'units';
      await record(actor, 'suggestion.urged', { unitId: u.unitId ?? null, note: u.note, addressee }, [
        { kind: 'urge', id: uuid4(), unitId: u.unitId ?? null, note: u.note, by: actor.userId },
      ]);
      return state;
    },
    {
      validator: (actor, u) =>
        check(run, actor, 'urge', u.unitId ? { unitId: u.unitId } : {}, { settled: true }),
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
      const { at } = await quick().nextProgressReport(base.policyVersion, from);
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
      validator: (actor, _k) => check(run, actor, 'key_supervision', {}, { settled: true }),
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
      // Reports come from the units replying now (after any re-assignment), while they handle.
      validator: (actor, pr) =>
        check(
          run,
          actor,
          'progress_report',
          { unitId: pr.unitId },
          { settled: true, facts: { keySupervision: !!state.progress } },
        ),
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
      validator: (actor, _w) => check(run, actor, 'withhold_publication'),
    },
  );
}
