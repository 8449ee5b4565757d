import { toProblem, type Problem } from './api';

/**
 * The state of one user action on a page: busy while the call runs, the problem document if it
 * failed, a notice when it succeeded. Components render it with <ProblemAlert>.
 */
export class ActionState {
  busy = $state(false);
  problem = $state<Problem | null>(null);
  notice = $state<string | null>(null);

  /** The result of `call`, or undefined when it failed (or another call was still running). */
  async run<T>(call: () => Promise<T>, notice?: string | ((result: T) => string)): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.problem = null;
    this.notice = null;
    try {
      const result = await call();
      this.notice = typeof notice === 'function' ? notice(result) : (notice ?? null);
      return result;
    } catch (error) {
      this.problem = toProblem(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Runs `call` like `run`; true when it succeeded (also for an answer without a body). */
  async attempt(call: () => Promise<unknown>, notice?: string): Promise<boolean> {
    return (
      (await this.run(async () => {
        await call();
        return true as const;
      }, notice)) === true
    );
  }

  /** Forgets the last outcome (the user moved on to something else). */
  reset(): void {
    this.problem = null;
    this.notice = null;
  }
}
