/**
 * One Python task's wall time through the Docker runner versus `docker run --rm` of the same
 * image and script, N runs each (alternating, after one warm-up of each), and the ratio of the
 * medians. Run: `npx tsx bench/docker-runner.ts [runs]` (needs `.ci/docker.sh` to have run).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dockerRunner } from '../lib/runners/docker';

const IMAGE = process.env.BENCH_IMAGE ?? 'flowbook/python:bookworm';
const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 5);
const SCRIPT = [
  'import json, statistics',
  'rows = [{"id": i, "fare": i * 1.5} for i in range(10000)]',
  'print(len(rows), statistics.mean(r["fare"] for r in rows))',
  'print("::" + json.dumps({"outputs": {"rows": len(rows)}}) + "::")',
].join('\n');

async function throughRunner(): Promise<number> {
  const workingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowbook-bench-'));
  try {
    await fs.writeFile(path.join(workingDir, 'main.py'), SCRIPT);
    const started = performance.now();
    const result = await dockerRunner.run({
      workingDir,
      command: ['/bin/sh', '-c', 'set -e\npython main.py'],
      env: {},
      options: { networkMode: 'none' },
      containerImage: IMAGE,
      signal: new AbortController().signal,
      labels: { executionId: 'bench', taskRunId: `bench-${process.pid}`, taskId: 'bench' },
      settings: { defaultRunner: 'docker', dockerVolumesEnabled: false, cacheDir: path.join(workingDir, '.cache') },
      onLine: () => {},
      log: () => {},
      detail: () => {},
      secret: () => {},
    });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`runner run failed with exit ${result.exitCode}`);
    return elapsed;
  } finally {
    await fs.rm(workingDir, { recursive: true, force: true });
  }
}

function dockerRun(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['run', '--rm', '--network', 'none', IMAGE, 'python', '-c', SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`docker run exited with ${code}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  await throughRunner();
  await dockerRun();
  const runner: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    runner.push(await throughRunner());
    plain.push(await dockerRun());
  }
  const ratio = median(runner) / median(plain);
  console.log(`image ${IMAGE}, ${RUNS} runs each`);
  console.log(`Flowbook Docker runner: median ${fmt(median(runner))} (min ${fmt(Math.min(...runner))}, max ${fmt(Math.max(...runner))})`);
  console.log(`docker run --rm:        median ${fmt(median(plain))} (min ${fmt(Math.min(...plain))}, max ${fmt(Math.max(...plain))})`);
  console.log(`ratio (runner / docker run): ${ratio.toFixed(2)}`);
}

await main();
