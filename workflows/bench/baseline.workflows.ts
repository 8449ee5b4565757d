/**
 * P1's baseline (bench/lifecycle.bench.ts): the shape of one suggestion's lifecycle on bare Temporal —
 * the same updates, child workflows and number of activities as a real run's histories, but every
 * activity does nothing and nothing is validated. Not part of the product's workflow bundle.
 */
import {
  condition,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const stepUpdate = defineUpdate<void, [string]>('step');

/**
 * How many no-op activities each named step (or `start`, `end`) runs; `<step>:local` counts the local
 * activities (the system's short steps since patch `local-steps`), run here as local activities too.
 */
export type Shape = Record<string, number>;
export interface BaselineInput {
  parent: Shape;
  children: { id: string; shape: Shape }[];
}

const runOn = async (shape: Shape, step: string) => {
  for (let i = 0; i < (shape[step] ?? 0); i++) await noop();
  for (let i = 0; i < (shape[`${step}:local`] ?? 0); i++) await local.noop();
};

/** One unit's part: its steps arrive as updates; ends after its `done` step. */
export async function baselineUnit(shape: Shape & { doneAfter?: never }, last: string): Promise<void> {
  let done = false;
  let started = false;
  // Handlers before the first await: an update that arrives with no handler is rejected.
  setHandler(stepUpdate, async (name) => {
    await condition(() => started);
    await runOn(shape, name);
    if (name === last) done = true;
  });
  await runOn(shape, 'start');
  started = true;
  await condition(() => done);
  await runOn(shape, 'end');
}

/** The item: accept, assign (starts the children), then waits for them and the rating; closes. */
export async function baselineItem(
  input: BaselineInput & { lastSteps: Record<string, string> },
): Promise<void> {
  let rated = false;
  const children: Promise<unknown>[] = [];
  let started = false;
  setHandler(stepUpdate, async (name) => {
    await condition(() => started);
    await runOn(input.parent, name);
    if (name === 'assign')
      for (const c of input.children) {
        const h = await startChild(baselineUnit, {
          workflowId: c.id,
          args: [c.shape, input.lastSteps[c.id]!],
        });
        children.push(h.result());
      }
    if (name === 'rate') rated = true;
  });
  await runOn(input.parent, 'start');
  started = true;
  await condition(() => children.length === input.children.length && children.length > 0);
  await Promise.all(children);
  await condition(() => rated);
  await runOn(input.parent, 'end');
}
