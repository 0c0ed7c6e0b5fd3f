/**
 * What a benchmark is, for `npm run bench`: a subject and the baseline it is measured
 * against, run alternately in the same process so both see the same machine state. The
 * runner reports the median, min and max of each side and their ratio; a benchmark turns
 * the medians into a verdict against its target. No test asserts a time: this is the
 * only place timings are judged, and only to print them.
 */

/** One run of one side: its wall time, and any other figure it measured (lines/s, RSS, p95). */
export interface Measure {
  ms: number;
  extra?: Record<string, number>;
}

export interface Side {
  /** What runs, in words: "bare engine", "docker run --rm", "through the app (SQLite)". */
  name: string;
  run(): Promise<Measure>;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  /** Medians of each extra figure. */
  extra: Record<string, number>;
}

export interface Outcome {
  baseline: Stats;
  subject: Stats;
  /** subject median / baseline median. */
  ratio: number;
}

export interface Benchmark {
  /** Short, file-like id: `server-log-tasks`. */
  id: string;
  title: string;
  /** The target in words, as the results table prints it: "≤ 1 ms per task (≤ 20× bare engine)". */
  target: string;
  /** Measured runs per side (after one warm-up run each). Default 5. */
  runs?: number;
  /** Skip the warm-up run (for benchmarks whose first run is the point, e.g. a cold start). */
  noWarmup?: boolean;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  baseline: Side;
  subject: Side;
  /** Whether the medians meet the target, and the figure shown for it ("0.82 ms per task"). */
  verdict(o: Outcome): { met: boolean; figure: string };
}

export function stats(samples: readonly Measure[]): Stats {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const extra: Record<string, number> = {};
  const keys = new Set(samples.flatMap((s) => Object.keys(s.extra ?? {})));
  for (const k of keys) extra[k] = median(samples.map((s) => s.extra?.[k]).filter((v): v is number => typeof v === 'number'));
  return { median: median(sorted), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, extra };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Times `fn` in milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
