/**
 * An update that reaches a unit's handling workflow together with its start (the API's sign-in right
 * after assignment, or a first workflow task delayed by a fault: seen in the chaos run as 21 sign-ins
 * answered 500) is validated like any other: the rules refuse or accept it. It was rejected with a
 * ReferenceError, because the validator ran inside setHandler and read a `let` declared further down.
 * Update-with-start puts the update into the workflow's first activation every time.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInUpdate, unitWorkflowId, type UnitHandlingInput } from '../src/workflows/suggestion.messages';
import { JTJ, JYJ, jtjHandler, jyjHandler, refusal, startTestWorker, type TestEnv } from './support';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(async () => {
  await env?.stop();
});

describe("a unit's first activation", () => {
  it('validates an update that arrives with the start: another unit is refused (403), not a ReferenceError', async () => {
    const suggestionId = randomUUID();
    const now = new Date();
    const input: UnitHandlingInput = {
      suggestionId,
      parentWorkflowId: `suggestion-${suggestionId}`,
      unitId: JTJ,
      role: 'lead',
      round: 1,
      policyVersion: 'test-fast@1',
      audience: { deputyIds: [], unitIds: [JTJ] },
      clock: 'reply',
      startedAt: now.toISOString(),
      deadlineAt: new Date(now.getTime() + 3_600_000).toISOString(),
    };
    const workflowId = unitWorkflowId(suggestionId, JTJ, 1);
    const start = () =>
      new WithStartWorkflowOperation('unitHandlingWorkflow', {
        workflowId,
        taskQueue: env.taskQueue,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
    try {
      // 教育局's handler may not sign in for 交通局's part: the rules' answer, from the first activation.
      expect(
        await refusal(
          env.client.workflow.executeUpdateWithStart(signInUpdate, {
            args: [jyjHandler],
            startWorkflowOperation: start(),
          }),
        ),
      ).toBe('Forbidden');
      expect(jyjHandler.unitId).toBe(JYJ);
      expect(jtjHandler.unitId).toBe(JTJ);
    } finally {
      await env.client.workflow
        .getHandle(workflowId)
        .terminate('test done')
        .catch(() => undefined);
    }
  });
});
