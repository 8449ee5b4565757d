/** 跟踪办理 of B and C replies: on the promised date the unit reports (after closure and publication). */
import { condition, setHandler } from '@temporalio/workflow';
import { SYSTEM } from '../events';
import { check } from './rules';
import { followUpUpdate } from '../suggestion.messages';
import type { SuggestionRun } from './run';

export const followUp = async (run: SuggestionRun) => {
  const { state, record } = run;
  state.followUps = run.lastReplies
    .filter((r) => (r.category === 'B' || r.category === 'C') && r.promisedDate)
    .map((r) => ({ unitId: r.unitId, promisedDate: r.promisedDate!, due: false, done: false }));
  setHandler(
    followUpUpdate,
    async (actor, f) => {
      const item = state.followUps!.find((x) => x.unitId === f.unitId)!;
      await record(actor, 'suggestion.follow_up_reported', { unitId: f.unitId, final: f.final });
      if (f.final) item.done = true;
      return state;
    },
    {
      validator: (actor, f) => check(run, actor, 'follow_up', { unitId: f.unitId }, { settled: true }),
    },
  );
  await Promise.all(
    state.followUps.map(async (item) => {
      // Due at the end of the promised day, China time (UTC+8).
      const dueAt = Date.parse(`${item.promisedDate}T23:59:59.999+08:00`);
      const wait = dueAt - Date.now();
      const reportedEarly = wait > 0 ? await condition(() => item.done, wait) : item.done;
      if (!reportedEarly) {
        item.due = true;
        await record(SYSTEM, 'suggestion.follow_up_due', {
          unitId: item.unitId,
          promisedDate: item.promisedDate,
        });
        await condition(() => item.done);
      }
    }),
  );
};
