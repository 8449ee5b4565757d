/**
 * How the workflow code is bundled (infra/build.ts at build time; the worker when it bundles at start;
 * the replay test), kept in one place so every bundle runs the same way.
 *
 * `preloadModules`: with `reuseV8Context` the SDK evaluates every module of the bundle again for each
 * workflow execution it creates (each execution has its own module cache), except the modules preloaded
 * once into the shared context. `@jianyi/domain` (the rules, the state machine, the policy schemas and
 * zod: about 100 of the bundle's modules) is pure: no module-level state that a workflow changes, nothing
 * at module scope that asks the workflow APIs, the clock or randomness. Preloaded, it is evaluated once
 * per worker instead of once per cached execution, which was most of a new execution's first workflow
 * task and most of its memory (README, "P5"). The workflow modules themselves (`proxyActivities` at
 * module scope) must stay per execution.
 */
export const WORKFLOW_PRELOAD_MODULES: string[] = ['@jianyi/domain'];
