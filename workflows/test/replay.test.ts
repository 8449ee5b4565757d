/**
 * Replay tests: the recorded histories in ./histories (listed in histories/index.json) must replay
 * with the current workflow code. A history is what a running execution has already done; if the
 * code, replayed over it, would issue different commands (another activity, a timer more or less,
 * a different order), Temporal fails that execution's next workflow task with a nondeterminism
 * error. These tests catch that in CI, before a deploy strands the executions already running.
 * Replay needs no server: this file runs in the unit tier (`pnpm test:unit`), with no stack.
 *
 * When a replay fails after you changed workflow code, do NOT re-record to make it pass: executions
 * started with the old code still exist and would fail the same way. Guard the new behaviour with
 * `patched('<change-id>')` from '@temporalio/workflow' (old histories have no marker, so `patched()`
 * returns false and the old path replays; new executions record the marker and take the new path),
 * and keep the old histories. Once no execution of the old version can still be running, the old
 * branch can go with `deprecatePatch('<change-id>')`, and later the call altogether.
 *
 * Re-record (replacing every file here) only to add or change a scenario, or after a deliberately
 * incompatible change that no running execution will ever replay. From the repository root, with the
 * dev stack up (Temporal and PostgreSQL, the defaults of services/platform/src/config.ts):
 *
 *   node_modules/.bin/tsx workflows/scripts/record-histories.ts
 *
 * It drives each scenario to completion with the `test-fast@1` policy (about 30 s) and rewrites
 * histories/*.json and index.json from the workflow code in the working tree. Record from committed
 * code: if the tree has unfinished workflow changes, the new histories would bake them in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_PRELOAD_MODULES } from '../src/bundle-options';

const HISTORIES = path.resolve(__dirname, 'histories');

interface IndexEntry {
  file: string;
  workflowType:
    'suggestionWorkflow' | 'unitHandlingWorkflow' | 'messageWorkflow' | 'assignmentMeetingWorkflow';
  workflowId: string;
  description: string;
}
/** Proto-JSON of one history, as written by the recording script (`historyToJSON`). */
interface HistoryJSON {
  events: Record<string, any>[];
}

const index = JSON.parse(readFileSync(path.join(HISTORIES, 'index.json'), 'utf8')) as IndexEntry[];
const load = (file: string) => JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as HistoryJSON;
const entry = (file: string) => {
  const e = index.find((x) => x.file === file);
  if (!e) throw new Error(`${file} is not in histories/index.json`);
  return e;
};

let workflowBundle: WorkflowBundleWithSourceMap;

// Bundling the workflow code takes a few seconds, more on a loaded machine.
describe('workflow replay over recorded histories', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    // One runtime per process; the other workflow test files may have installed it already.
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      /* already installed */
    }
    // Bundled once (a few seconds) and shared by every replay below.
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts'),
      preloadModules: WORKFLOW_PRELOAD_MODULES,
      logger: new DefaultLogger('WARN'),
    });
  }, 120_000);

  it('has an index entry for every recorded history, each a completed execution of its workflow type', () => {
    const files = readdirSync(HISTORIES)
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .sort();
    expect(index.map((e) => e.file).sort()).toEqual(files);
    expect(
      index.some((e) => e.workflowType === 'suggestionWorkflow') &&
        index.some((e) => e.workflowType === 'unitHandlingWorkflow'),
    ).toBe(true);
    for (const e of index) {
      const { events } = load(e.file);
      expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name, e.file).toBe(
        e.workflowType,
      );
      expect(events.at(-1)?.eventType, e.file).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    }
  });

  it('has, for every patched() id in the workflow code, a recorded history that took the patched path', () => {
    // The ids the code asks for: patched('<id>') in any workflow module.
    const src = path.resolve(__dirname, '../src/workflows');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const ids = new Set<string>();
    for (const f of files)
      for (const m of readFileSync(path.join(src, f), 'utf8').matchAll(/patched\('([^']+)'\)/g))
        ids.add(m[1]!);
    // The ids the histories carry: Temporal lists them in the TemporalChangeVersion search attribute.
    const recorded = new Set<string>();
    for (const e of index)
      for (const ev of load(e.file).events) {
        const v =
          ev.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
            ?.TemporalChangeVersion;
        if (v)
          for (const id of JSON.parse(Buffer.from(v.data, 'base64').toString('utf8')) as string[])
            recorded.add(id);
      }
    expect(ids.size).toBeGreaterThan(0);
    expect([...ids].filter((id) => !recorded.has(id)).sort()).toEqual([]);
  });

  it('replays every recorded history with the current workflow code', async () => {
    const results: { file: string; error: string | null }[] = [];
    // Two runs of one workflow id (a unit's reply sent back, 退回重办) are two histories: named by file.
    const histories = index.map((e) => ({ workflowId: `${e.workflowId}:${e.file}`, history: load(e.file) }));
    for await (const r of Worker.runReplayHistories(
      { workflowBundle, replayName: 'replay-test' },
      histories,
    )) {
      const file = index.find((e) => `${e.workflowId}:${e.file}` === r.workflowId)?.file ?? r.workflowId;
      results.push({ file, error: r.error ? `${r.error.name}: ${r.error.message}` : null });
    }
    expect(results).toEqual(index.map((e) => ({ file: e.file, error: null })));
  });

  it('local-steps: accept is one local activity (acceptStep); older histories accept through three server activities', () => {
    const localTypes = (file: string) =>
      load(file)
        .events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
        .map(
          (e) =>
            JSON.parse(
              Buffer.from(e.markerRecordedEventAttributes.details.data.payloads[0].data, 'base64').toString(
                'utf8',
              ),
            ).activity_type as string,
        );
    const serverTypes = (file: string) =>
      load(file)
        .events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name as string | undefined)
        .filter((x) => x !== undefined);
    // Recorded after the patch: every step and plan runs in the worker, none through the server.
    expect(localTypes('local-steps.item.json')).toContain('acceptStep');
    expect(serverTypes('local-steps.item.json')).toEqual([]);
    expect(localTypes('local-steps.unit-jtj-r1.json')).toContain('applyStep');
    expect(serverTypes('local-steps.unit-jtj-r1.json')).toEqual([]);
    // Recorded before it (and still replayed above): the number and the step, each through the server.
    const old = serverTypes('lead-co-rehandling-satisfied.json');
    expect(old).toEqual(expect.arrayContaining(['nextRegistrationNo', 'applyStep']));
    expect(old).not.toContain('acceptStep');
    expect(localTypes('lead-co-rehandling-satisfied.json')).toEqual([]);
  });

  describe('a history the code no longer matches fails with DeterminismViolationError', () => {
    const replay = (file: string, history: HistoryJSON) =>
      Worker.runReplayHistory(
        { workflowBundle, replayName: 'replay-tamper' },
        history,
        entry(file).workflowId,
      );

    it('an activity of another type where the code schedules applyStep', async () => {
      const file = 'lead-co-rehandling-satisfied.json';
      const history = load(file);
      await expect(replay(file, history)).resolves.toBeUndefined(); // the untouched history replays
      // As if the code had once called a different activity at its first step (submission).
      const scheduled = history.events.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyStep',
      );
      expect(scheduled).toBeDefined();
      scheduled!.activityTaskScheduledEventAttributes.activityType.name = 'applyStepV0';
      const err = await replay(file, history).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DeterminismViolationError);
      expect((err as Error).message).toMatch(/nondeterminism/i);
      expect((err as Error).message).toMatch(/applyStep/);
    });

    it('a child workflow of another type where the code starts unitHandlingWorkflow', async () => {
      const file = 'separate-overdue-no-feedback.json';
      const history = load(file);
      await expect(replay(file, history)).resolves.toBeUndefined();
      const initiated = history.events.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
      expect(initiated?.startChildWorkflowExecutionInitiatedEventAttributes.workflowType.name).toBe(
        'unitHandlingWorkflow',
      );
      initiated!.startChildWorkflowExecutionInitiatedEventAttributes.workflowType.name = 'legacyUnitWorkflow';
      const err = await replay(file, history).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DeterminismViolationError);
      expect((err as Error).message).toMatch(/nondeterminism/i);
    });
  });
});
