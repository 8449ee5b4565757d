/**
 * One step of the unit's part of an item, posted under `…/units/:unitId/<path>`. The unit forms share
 * the caller's ActionState (one busy flag, one problem/notice), so they take this function instead of
 * calling the API themselves. Resolves to undefined when the step failed.
 */
export type UnitStep = (path: string, body?: unknown) => Promise<unknown>;
