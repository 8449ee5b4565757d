import { toProblem, type Problem } from './api';

/**
 * The state of one user action on a page: busy while the call runs, the problem document if it
 * failed, a notice when it succeeded. Components render it with <ProblemAlert>.
 */
export class ActionState {
  busy = $state(false);
  problem = $state<Problem | null>(null);
  notice = $state<string | null>(null);

  async run<T>(call: () => Promise<T>, notice?: string): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.problem = null;
    this.notice = null;
    try {
      const result = await call();
      this.notice = notice ?? null;
      return result;
    } catch (error) {
      this.problem = toProblem(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
