/**
 * What Flowbook adds around a container: a Python Script task on the Docker runner (its
 * working files copied in, the container created with limits, logs streamed, outputs
 * parsed, the container removed), run by the bare engine, against `docker run --rm` of
 * the same image and script. Needs the image (`.ci/docker.sh` or scripts/test-env.sh
 * builds flowbook/python:bookworm); BENCH_IMAGE names another.
 */
import { spawn } from 'node:child_process';
import type { Benchmark } from './harness';
import { timed } from './harness';
import { bareEngine, flowOf, type BareEngine } from './app-fixture';
import type { FlowSpec } from '../lib/flow/types';

const IMAGE = process.env.BENCH_IMAGE ?? 'flowbook/python:bookworm';
const SCRIPT = [
  'import json, statistics',
  'rows = [{"id": i, "fare": i * 1.5} for i in range(10000)]',
  'print(len(rows), statistics.mean(r["fare"] for r in rows))',
  'print("::" + json.dumps({"outputs": {"rows": len(rows)}}) + "::")',
].join('\n');

const yaml = `id: docker_task
namespace: bench
tasks:
  - id: py
    type: io.kestra.plugin.scripts.python.Script
    containerImage: ${IMAGE}
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      pullPolicy: NEVER
      networkMode: none
    script: |
${SCRIPT.split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
`;

function dockerRun(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['run', '--rm', '--network', 'none', IMAGE, 'python', '-c', SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker run exited with ${code}`))));
  });
}

let engine: BareEngine | undefined;
let flow: FlowSpec | undefined;

const bench: Benchmark = {
  id: 'docker-task',
  title: 'A Python task on the Docker runner',
  target: '≤ 1.1× docker run --rm of the same image and script',
  runs: 5,
  async setup() {
    engine = bareEngine();
    flow = flowOf(yaml);
  },
  async teardown() {
    engine?.close();
  },
  baseline: {
    name: 'docker run --rm',
    async run() {
      return { ms: await timed(dockerRun) };
    },
  },
  subject: {
    name: 'bare engine, Docker runner',
    async run() {
      let rows: unknown;
      const ms = await timed(async () => {
        rows = ((await engine!.run(flow!)).outputs.py?.vars as Record<string, unknown> | undefined)?.rows;
      });
      if (rows !== 10000) throw new Error(`the task gave rows = ${String(rows)}`);
      return { ms };
    },
  },
  verdict(o) {
    return { met: o.ratio <= 1.1, figure: `${o.ratio.toFixed(2)}× docker run --rm (${o.subject.median.toFixed(0)} ms vs ${o.baseline.median.toFixed(0)} ms)` };
  },
};

export default bench;
