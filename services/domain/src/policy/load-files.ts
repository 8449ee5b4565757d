/**
 * NOT FOR WORKFLOW CODE. NOT PURE: reads policy JSON files from disk with node:fs.
 * Use it in services, activities, workers and scripts; hand the resulting
 * policy objects (plain JSON) to workflows, or use ./registry.ts there.
 * Do not re-export this file from the package index (Temporal's workflow
 * bundler rejects node:fs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  type PolicyRegistry,
  PolicyValidationError,
  type PolicySource,
  createPolicyRegistryFromSources,
} from './registry';

/** The repository's /policies folder (this file is services/domain/src/policy/load-files.ts). */
export const DEFAULT_POLICY_DIR = path.resolve(__dirname, '../../../../policies');

/**
 * Reads every `*.json` in `dir` (sorted by name) as a {@link PolicySource}.
 * Throws with the file name on unreadable or malformed JSON.
 */
export function readPolicyFiles(dir: string = DEFAULT_POLICY_DIR): PolicySource[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  return names.map((name) => {
    const file = path.join(dir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new PolicyValidationError(name, [
        { path: '', message: `cannot read JSON from ${file}: ${(e as Error).message}` },
      ]);
    }
    return { source: name, data };
  });
}

/**
 * Loads and validates all policies in `dir`. Each file must be named
 * `${id}@${version}.json` after the policy it holds.
 */
export function loadPolicyRegistry(dir: string = DEFAULT_POLICY_DIR): PolicyRegistry {
  const sources = readPolicyFiles(dir);
  const registry = createPolicyRegistryFromSources(sources);
  for (const { source, data } of sources) {
    const { id, version } = data as { id: string; version: string };
    if (source !== `${id}@${version}.json`) {
      throw new PolicyValidationError(source, [
        { path: 'id', message: `file name must be ${id}@${version}.json` },
      ]);
    }
  }
  return registry;
}
