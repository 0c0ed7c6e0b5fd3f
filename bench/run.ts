/**
 * `npm run bench [-- id-filter…]`: runs every `bench/*.bench.ts` (subject and baseline
 * alternately, after a warm-up of each), prints a line per benchmark and writes
 * bench/results.md and bench/results.json with the machine it ran on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stats, type Benchmark, type Measure, type Outcome } from './harness';

interface Result {
  id: string;
  title: string;
  target: string;
  baseline: { name: string } & ReturnType<typeof stats>;
  subject: { name: string } & ReturnType<typeof stats>;
  ratio: number;
  met: boolean;
  figure: string;
  runs: number;
  error?: string;
}

const here = import.meta.dirname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  date: new Date().toISOString(),
  /** The 1-minute load average when the run began: timings from a busy machine are read as ratios only. */
  loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
};

async function runOne(b: Benchmark): Promise<Result> {
  const runs = b.runs ?? 5;
  const base: Measure[] = [];
  const subj: Measure[] = [];
  await b.setup?.();
  try {
    if (!b.noWarmup) {
      await b.baseline.run();
      await b.subject.run();
    }
    for (let i = 0; i < runs; i++) {
      // Alternate which side goes first so a slow drift of the machine hits both alike.
      if (i % 2 === 0) {
        base.push(await b.baseline.run());
        subj.push(await b.subject.run());
      } else {
        subj.push(await b.subject.run());
        base.push(await b.baseline.run());
      }
    }
  } finally {
    await b.teardown?.();
  }
  const outcome: Outcome = { baseline: stats(base), subject: stats(subj), ratio: NaN };
  outcome.ratio = outcome.subject.median / outcome.baseline.median;
  const { met, figure } = b.verdict(outcome);
  return {
    id: b.id,
    title: b.title,
    target: b.target,
    baseline: { name: b.baseline.name, ...outcome.baseline },
    subject: { name: b.subject.name, ...outcome.subject },
    ratio: outcome.ratio,
    met,
    figure,
    runs,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : '–');

function markdown(results: readonly Result[]): string {
  const out = [
    '# Benchmarks',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}. Run ${machine.date}, load average ${machine.loadAverage} at the start.`,
    '',
    'Each benchmark runs its subject and its baseline alternately in one process (one warm-up each unless noted), times in ms.',
    '',
    '| benchmark | target | result | met | subject median (min–max) | baseline median (min–max) | ratio |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (r.error) {
      out.push(`| ${r.title} | ${r.target} | error: ${r.error.replace(/\|/g, '\\|').split('\n')[0]} | no | | | |`);
      continue;
    }
    out.push(
      `| ${r.title} | ${r.target} | ${r.figure} | ${r.met ? 'yes' : 'no'} | ${r.subject.name}: ${ms(r.subject.median)} (${ms(r.subject.min)}–${ms(r.subject.max)}) | ${r.baseline.name}: ${ms(r.baseline.median)} (${ms(r.baseline.min)}–${ms(r.baseline.max)}) | ${r.ratio.toFixed(2)} |`,
    );
  }
  return out.join('\n') + '\n';
}

const results: Result[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: Benchmark | Benchmark[] };
  for (const b of [mod.default].flat()) {
    process.stdout.write(`${b.id}: `);
    try {
      const r = await runOne(b);
      results.push(r);
      console.log(`${r.figure} (${r.met ? 'met' : 'NOT met'}: ${r.target}); ratio ${r.ratio.toFixed(2)}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.log(`error: ${message}`);
      results.push({ id: b.id, title: b.title, target: b.target, error: message } as Result);
    }
  }
}

// A filtered run updates only its own rows, so one benchmark can be re-run alone.
const jsonPath = path.join(here, 'results.json');
let merged = results;
if (filters.length > 0 && fs.existsSync(jsonPath)) {
  const previous = (JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as { results: Result[] }).results;
  const fresh = new Set(results.map((r) => r.id));
  merged = [...previous.filter((r) => !fresh.has(r.id)), ...results].sort((a, b) => a.id.localeCompare(b.id));
}
fs.writeFileSync(jsonPath, JSON.stringify({ machine, results: merged }, null, 2) + '\n');
fs.writeFileSync(path.join(here, 'results.md'), markdown(merged));
console.log(`wrote bench/results.md and bench/results.json (${merged.length} benchmarks)`);
// Benchmarks may leave handles (pools, servers) that their teardown closed late.
process.exit(0);
