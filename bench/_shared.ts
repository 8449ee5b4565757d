/**
 * Small helpers shared by the benchmarks (not a benchmark itself: `./dev bench` runs only
 * bench/*.bench.ts). No dependencies beyond Node.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Stats {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile on a sorted copy; all figures rounded to 0.1 ms. */
export function stats(samples: number[]): Stats | null {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    count: s.length,
    min: r(s[0]!),
    p50: r(pct(50)),
    p95: r(pct(95)),
    p99: r(pct(99)),
    max: r(s[s.length - 1]!),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

export function envInt(name: string, fallback: number, min = 1): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}, got "${v}"`);
  return n;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemBytes: os.totalmem(),
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} (${os.arch()})`,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    timestamp: new Date().toISOString(),
  };
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResults(name: string, result: unknown): string {
  const dir = path.resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A row of latency figures for printTable (columns: count p50 p95 p99 max mean). */
export function statRow(label: string, s: Stats | null): (string | number)[] {
  if (!s) return [label, 0, '-', '-', '-', '-', '-'];
  return [label, s.count, s.p50, s.p95, s.p99, s.max, s.mean];
}
export const statHeader = ['measure (ms)', 'count', 'p50', 'p95', 'p99', 'max', 'mean'];

/** Resident memory (MiB) of one of the stack's services and its children, from its pid file; null when not found. */
export function serviceRssMiB(service: string): number | null {
  const tree = (pid: string): number => {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return kb + kids.reduce((s, c) => s + tree(c), 0);
  };
  const run = path.join(process.env.JIANYI_DATA ?? path.resolve(__dirname, '../.data/test'), 'run');
  try {
    return Math.round(tree(readFileSync(path.join(run, `${service}.pid`), 'utf8').trim()) / 102.4) / 10;
  } catch {
    return null;
  }
}

/** Runs fn(0 … n-1) with at most `concurrency` at a time; the answers in order. */
export async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await fn(i);
    }),
  );
  return out;
}
