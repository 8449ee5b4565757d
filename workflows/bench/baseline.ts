/**
 * P1's baseline worker and client (bench/lifecycle.bench.ts): an in-process worker on its own task
 * queue, running baseline.workflows.ts with no-op activities on the same Temporal server.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { config } from '@jianyi/platform';
import { unitWorkflowId } from '../src/workflows/suggestion.messages';
import { stepUpdate, type Shape } from './baseline.workflows';

export type { Shape };
export interface LifecycleShape {
  /** Activities the parent runs at start, per step (accept, assign, rate) and at the end. */
  parent: Shape;
  lead: Shape;
  co: Shape;
}

export async function startBaseline() {
  const taskQueue = `bench-baseline-${randomUUID().slice(0, 8)}`;
  const nc = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection: nc,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('./baseline.workflows'),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });

  /** One lifecycle: the same human steps as the system's, in the same order, as updates. */
  const lifecycle = async (shape: LifecycleShape) => {
    const id = `bench-baseline-${randomUUID()}`;
    const lead = `${id}-lead`;
    const co = `${id}-co`;
    const h = await client.workflow.start('baselineItem', {
      taskQueue,
      workflowId: id,
      args: [
        {
          parent: shape.parent,
          children: [
            { id: lead, shape: shape.lead },
            { id: co, shape: shape.co },
          ],
          lastSteps: { [lead]: 'send', [co]: 'opinion' },
        },
      ],
    });
    const step = (wid: string, name: string) =>
      client.workflow.getHandle(wid).executeUpdate(stepUpdate, { args: [name] });
    await step(id, 'accept');
    await step(id, 'assign');
    // The children exist once the assign update has answered.
    await Promise.all([
      (async () => {
        for (const s of ['sign-in', 'contact', 'draft', 'sign-off', 'send']) await step(lead, s);
      })(),
      (async () => {
        for (const s of ['sign-in', 'opinion']) await step(co, s);
      })(),
    ]);
    await step(id, 'rate');
    await h.result();
  };

  /**
   * The shape of a real lifecycle, from its recorded histories: the activities (server and local) each
   * workflow ran at start and after each of its updates, mapped in order onto the baseline's step names.
   */
  const shapeOf = async (
    suggestionId: string,
    leadUnitId: string,
    coUnitId: string,
  ): Promise<LifecycleShape> => {
    const count = async (wid: string, steps: string[]) => {
      const { events } = await client.workflow.getHandle(wid).fetchHistory();
      const shape: Shape = { start: 0 };
      let at = 'start';
      let updates = 0;
      for (const e of events ?? []) {
        if (e.workflowExecutionUpdateAcceptedEventAttributes) at = steps[updates++] ?? at;
        if (e.activityTaskScheduledEventAttributes) shape[at] = (shape[at] ?? 0) + 1;
        // A local activity leaves a marker, not a scheduled activity (patch local-steps).
        if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
          shape[`${at}:local`] = (shape[`${at}:local`] ?? 0) + 1;
      }
      return shape;
    };
    return {
      parent: await count(`suggestion-${suggestionId}`, ['accept', 'assign', 'rate']),
      lead: await count(unitWorkflowId(suggestionId, leadUnitId, 1), [
        'sign-in',
        'contact',
        'draft',
        'sign-off',
        'send',
      ]),
      co: await count(unitWorkflowId(suggestionId, coUnitId, 1), ['sign-in', 'opinion']),
    };
  };

  const stop = async () => {
    worker.shutdown();
    await running;
    await nc.close();
    await connection.close();
  };
  return { lifecycle, shapeOf, stop };
}
