/**
 * Production build of the Node services (生产构建): each service becomes one compiled JavaScript file in
 * dist/ (esbuild; npm packages stay in node_modules, the workspace's own TypeScript is compiled in),
 * and the worker's workflow code is bundled once, here, into dist/workflow-bundle.js, which the worker
 * loads with `Worker.create({ workflowBundle: { codePath } })` instead of bundling with webpack on
 * every start.
 *
 *   node_modules/.bin/tsx infra/build.ts [--force]      (pnpm build; ./dev up, test and bench run it)
 *
 * Incremental: an output is rebuilt only when the content of one of its inputs (every source file it
 * was built from, the lockfile, this script) changed since the last build; an unchanged tree builds in
 * well under a second.
 */
import { createHash } from 'node:crypto';
import { createRequire, isBuiltin } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type Metafile, type Plugin } from 'esbuild';
import { WORKFLOW_PRELOAD_MODULES } from '../workflows/src/bundle-options';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const force = process.argv.includes('--force');

/** The service entry points; the worker's wrapper calls runWorker() (its `require.main` guard is compiled out). */
const services: Record<string, string> = {
  api: 'services/api/src/main.ts',
  relay: 'services/relay/src/main.ts',
  notifier: 'services/notifier/src/main.ts',
  tracker: 'services/tracker/src/main.ts',
  worker: 'workflows/src/worker-main.ts',
  // The web app's server: SvelteKit's handler (web/build, built by vite) with the operations port.
  web: 'services/platform/src/web-main.ts',
  // One-off steps of a deployment (Helm jobs, systemd oneshots): the schema, then Temporal and Kafka.
  migrate: 'services/platform/src/db/migrate.ts',
  setup: 'services/platform/src/setup-main.ts',
};
const WORKFLOWS = 'workflows/src/workflows/index.ts';

/**
 * npm packages stay external (loaded from node_modules at run time, native modules included); the
 * workspace's own packages (@jianyi/*) are TypeScript and are compiled into the bundle. pnpm gives each
 * package only its own dependencies, so an external import is resolved where it is written and required
 * by its path relative to dist/ (the same file, so the same module instance, as under tsx).
 */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@jianyi/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      try {
        const file = createRequire(path.join(args.resolveDir, 'index.js')).resolve(args.path);
        return { path: `./${path.relative(dist, file)}`, external: true };
      } catch {
        return { path: args.path, external: true };
      }
    });
  },
};

/**
 * Files that find their data next to their source (`__dirname`: policies/, services/text/data/) keep
 * finding it: `__dirname` becomes the source file's directory, relative to the bundle in dist/.
 */
const sourceDirname: Plugin = {
  name: 'source-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!/\b__dirname\b/.test(text)) return undefined;
      const rel = path.relative(dist, path.dirname(args.path));
      return {
        contents: text.replace(
          /\b__dirname\b/g,
          `require('node:path').resolve(__dirname, ${JSON.stringify(rel)})`,
        ),
        loader: 'ts',
      };
    });
  },
};

const stampFile = (name: string) => path.join(dist, `${name}.inputs.json`);
const fingerprint = (inputs: string[]) => {
  const h = createHash('sha256');
  for (const f of [...inputs, 'pnpm-lock.yaml', 'infra/build.ts', 'workflows/src/bundle-options.ts'].sort()) {
    h.update(f);
    h.update(existsSync(path.join(root, f)) ? readFileSync(path.join(root, f)) : 'missing');
  }
  return h.digest('hex');
};
/** Up to date when the output exists and no input changed since it was built. */
const upToDate = (name: string, output: string) => {
  if (force || !existsSync(output) || !existsSync(stampFile(name))) return false;
  const stamp = JSON.parse(readFileSync(stampFile(name), 'utf8')) as { inputs: string[]; hash: string };
  return fingerprint(stamp.inputs) === stamp.hash;
};
const stamp = (name: string, meta: Metafile) => {
  const inputs = Object.keys(meta.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeFileSync(stampFile(name), JSON.stringify({ inputs, hash: fingerprint(inputs) }));
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node' as const,
  target: 'node20',
  format: 'cjs' as const,
  metafile: true,
  logLevel: 'warning' as const,
  // Modules with a `require.main === module` guard (seed, demo activity) never run as a side effect of an import.
  define: { 'require.main': 'undefined' },
  plugins: [externalPackages, sourceDirname],
};

async function buildService(name: string, entry: string) {
  const outfile = path.join(dist, `${name}.js`);
  if (upToDate(name, outfile)) return false;
  const r = await build({ ...common, entryPoints: [entry], outfile, sourcemap: 'linked' });
  stamp(name, r.metafile!);
  return true;
}

/** The workflow bundle: Temporal's own bundler (webpack, its sandbox's module rules), run once here. */
async function buildWorkflowBundle() {
  const output = path.join(dist, 'workflow-bundle.js');
  // The workflow code's inputs, found by esbuild (fast, nothing written).
  const deps = await build({
    ...common,
    entryPoints: [WORKFLOWS],
    write: false,
    plugins: [externalPackages],
  });
  if (upToDate('workflow-bundle', output)) return false;
  // @temporalio/worker is a dependency of the workflows package (not of the root).
  const { bundleWorkflowCode } = createRequire(path.join(root, 'workflows/package.json'))(
    '@temporalio/worker',
  ) as typeof import('../workflows/node_modules/@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(root, WORKFLOWS),
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  writeFileSync(`${output}.tmp`, code);
  renameSync(`${output}.tmp`, output);
  stamp('workflow-bundle', deps.metafile!);
  return true;
}

async function main() {
  const t0 = performance.now();
  mkdirSync(dist, { recursive: true });
  const built: string[] = [];
  const results = await Promise.all([
    ...Object.entries(services).map(async ([n, e]) => ((await buildService(n, e)) ? n : null)),
    buildWorkflowBundle().then((b) => (b ? 'workflow-bundle' : null)),
  ]);
  for (const r of results) if (r) built.push(r);
  const ms = Math.round(performance.now() - t0);
  console.log(built.length ? `built ${built.join(', ')} in ${ms} ms` : `dist/ up to date (${ms} ms)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
