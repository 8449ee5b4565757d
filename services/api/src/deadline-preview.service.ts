/**
 * 交办 preview: the deadlines an assignment made now would get under the policy new items enter with
 * (as submit chooses it), counted on the working-day calendar: the re-assignment request window, the
 * co-handlers' opinion and the reply.
 */
import type { DataSource } from 'typeorm';
import { chinaDateOf, isDeadlineProvisional, policyDeadline, type PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { loadWorkCalendar, policyKeyForNewWork } from '@jianyi/platform';

export class DeadlinePreviewService {
  constructor(
    private ds: DataSource,
    private policies?: PolicyRegistry,
  ) {}

  async preview() {
    this.policies ??= loadPolicyRegistry();
    const key = await policyKeyForNewWork(this.ds);
    const policy = this.policies.get(key);
    const cal = await loadWorkCalendar(this.ds);
    const now = Date.now();
    const today = chinaDateOf(now);
    const one = (name: 'reassignmentRequest' | 'coHandlerOpinion' | 'reply') => {
      const deadlineAt = policyDeadline(cal, policy, name, now);
      const deadlineDate = chinaDateOf(deadlineAt);
      return {
        deadlineAt,
        deadlineDate,
        workingDays: cal.workingDaysLeft(today, deadlineDate),
        duration: policy.deadlines[name],
        provisional: isDeadlineProvisional(cal, deadlineAt, now),
      };
    };
    return {
      policyKey: key,
      from: new Date(now).toISOString(),
      today,
      reassignmentRequest: one('reassignmentRequest'),
      coHandlerOpinion: one('coHandlerOpinion'),
      reply: one('reply'),
    };
  }
}
