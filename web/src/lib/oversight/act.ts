import { isApiError, type Problem } from '$lib/api';

/** Runs an admin action; returns the problem document when it fails, null when it worked. */
export async function act(fn: () => Promise<unknown>): Promise<Problem | null> {
  try {
    await fn();
    return null;
  } catch (error) {
    return isApiError(error)
      ? error.problem
      : { type: 'about:blank', title: '操作失败', status: 0, detail: String(error) };
  }
}
