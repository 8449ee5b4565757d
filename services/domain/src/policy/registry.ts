/**
 * Policy registry: validates policy data and looks policies up by `id@version`.
 * PURE: safe for Temporal workflow code (it takes already-loaded JSON; see
 * ./load-files.ts for reading /policies from disk, which is NOT pure).
 */
import { type CalendarDate, isCalendarDate } from '../calendar/civil';
import { type JurisdictionPolicy, jurisdictionPolicySchema, policyKey } from './schema';

export interface PolicyIssue {
  /** Dotted path of the offending field, e.g. 'deadlines.reply.unit' or 'reminders.fractions[1]'. */
  path: string;
  message: string;
}

/** Thrown when policy data does not match the schema; the message names the source and each field. */
export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';
  constructor(
    readonly source: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    super(
      `invalid policy ${source}:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
  }
}

/** A policy's raw data with a name for error messages (a file name, usually). */
export interface PolicySource {
  source: string;
  data: unknown;
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Validates one policy; throws {@link PolicyValidationError} naming `source` and the bad fields. Returns a frozen policy. */
export function parsePolicy(data: unknown, source = 'policy'): JurisdictionPolicy {
  const result = jurisdictionPolicySchema.safeParse(data);
  if (!result.success) {
    throw new PolicyValidationError(
      source,
      result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
    );
  }
  return deepFreeze(result.data);
}

/** The policy in force until an admin chooses one (process.md's national defaults). */
export const DEFAULT_POLICY_KEY = 'national-default@2026.1';

export interface PolicyRegistry {
  /** The policy with key `id@version`; throws when there is none (the message lists the known keys). */
  get(key: string): JurisdictionPolicy;
  /** The policy with key `id@version`, or undefined. */
  find(key: string): JurisdictionPolicy | undefined;
  has(key: string): boolean;
  /** All policies, sorted by id, then effectiveFrom. */
  list(): JurisdictionPolicy[];
  /** All keys (`id@version`), in the order of {@link list}. */
  keys(): string[];
  /** The version of policy `id` in force on `date`: the latest effectiveFrom <= date. */
  effective(id: string, date: CalendarDate): JurisdictionPolicy | undefined;
}

function describeRaw(data: unknown, index: number): string {
  if (data !== null && typeof data === 'object') {
    const { id, version } = data as { id?: unknown; version?: unknown };
    if (typeof id === 'string' && typeof version === 'string') return `policies[${index}] (${id}@${version})`;
  }
  return `policies[${index}]`;
}

/** Builds a registry from named sources; every source is validated and keys must be unique. */
export function createPolicyRegistryFromSources(sources: readonly PolicySource[]): PolicyRegistry {
  const byKey = new Map<string, JurisdictionPolicy>();
  const sourceOf = new Map<string, string>();
  for (const { source, data } of sources) {
    const policy = parsePolicy(data, source);
    const key = policyKey(policy);
    const previous = sourceOf.get(key);
    if (previous !== undefined) {
      throw new PolicyValidationError(source, [
        { path: 'version', message: `duplicate policy ${key} (also in ${previous})` },
      ]);
    }
    for (const other of byKey.values()) {
      if (other.id === policy.id && other.effectiveFrom === policy.effectiveFrom) {
        throw new PolicyValidationError(source, [
          {
            path: 'effectiveFrom',
            message: `${key} and ${policyKey(other)} both take effect on ${policy.effectiveFrom}`,
          },
        ]);
      }
    }
    byKey.set(key, policy);
    sourceOf.set(key, source);
  }
  const sorted = [...byKey.values()].sort((a, b) =>
    a.id !== b.id
      ? a.id < b.id
        ? -1
        : 1
      : a.effectiveFrom < b.effectiveFrom
        ? -1
        : a.effectiveFrom > b.effectiveFrom
          ? 1
          : 0,
  );
  return {
    get(key) {
      const policy = byKey.get(key);
      if (policy === undefined) {
        throw new RangeError(
          `unknown policy ${JSON.stringify(key)}; known: ${sorted.map(policyKey).join(', ') || '(none)'}`,
        );
      }
      return policy;
    },
    find: (key) => byKey.get(key),
    has: (key) => byKey.has(key),
    list: () => [...sorted],
    keys: () => sorted.map(policyKey),
    effective(id, date) {
      if (!isCalendarDate(date)) throw new RangeError(`not a 'YYYY-MM-DD' date: ${JSON.stringify(date)}`);
      let found: JurisdictionPolicy | undefined;
      for (const p of sorted) if (p.id === id && p.effectiveFrom <= date) found = p;
      return found;
    },
  };
}

/**
 * Builds a registry from raw policy objects (e.g. parsed JSON). Each is
 * validated with {@link jurisdictionPolicySchema}; a bad one throws a
 * {@link PolicyValidationError} such as
 * "invalid policy policies[1] (city-x@2026.1): - deadlines.reply.unit: Invalid option…".
 * Pass {@link PolicySource}s to {@link createPolicyRegistryFromSources} to name files instead.
 */
export function createPolicyRegistry(policies: readonly unknown[]): PolicyRegistry {
  return createPolicyRegistryFromSources(policies.map((data, i) => ({ source: describeRaw(data, i), data })));
}
