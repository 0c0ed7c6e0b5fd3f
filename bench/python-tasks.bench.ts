/**
 * What the engine adds around short Python scripts: a flow of 40 Python Script tasks on
 * the process runner (working directory, script file, the `kestra` module, output
 * parsing, events), run by the bare engine, against 40 `python3 -c` spawns of the same
 * script one after another. BENCH_PYTHON_TASKS sets the count.
 */
import { spawn } from 'node:child_process';
import type { Benchmark } from './harness';
import { timed } from './harness';
import { bareEngine, flowOf, type BareEngine } from './app-fixture';
import type { FlowSpec } from '../lib/flow/types';

const TASKS = Number(process.env.BENCH_PYTHON_TASKS ?? 40);
const SCRIPT = 'import json\nprint("::" + json.dumps({"outputs": {"n": sum(range(1000))}}) + "::")';

function flowYaml(): string {
  const tasks = Array.from(
    { length: TASKS },
    (_, i) => `  - id: py${i}
    type: io.kestra.plugin.scripts.python.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    script: |
${SCRIPT.split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}`,
  );
  return `id: python_tasks\nnamespace: bench\ntasks:\n${tasks.join('\n')}\n`;
}

function python(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.resume();
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`python3 exited with ${code}`))));
  });
}

let engine: BareEngine | undefined;
let flow: FlowSpec | undefined;

const bench: Benchmark = {
  id: 'python-tasks',
  title: `${TASKS} Python Script tasks on the process runner`,
  target: `≤ 1.1× ${TASKS} bare python3 spawns`,
  runs: 3,
  async setup() {
    engine = bareEngine();
    flow = flowOf(flowYaml());
  },
  async teardown() {
    engine?.close();
  },
  baseline: {
    name: `${TASKS} sequential python3 -c`,
    async run() {
      return {
        ms: await timed(async () => {
          for (let i = 0; i < TASKS; i++) await python();
        }),
      };
    },
  },
  subject: {
    name: 'bare engine, one flow',
    async run() {
      let outputs = 0;
      const ms = await timed(async () => {
        const result = await engine!.run(flow!);
        outputs = Object.values(result.outputs).filter((o) => (o.vars as Record<string, unknown> | undefined)?.n === 499500).length;
      });
      if (outputs !== TASKS) throw new Error(`only ${outputs} of ${TASKS} tasks gave their output`);
      return { ms, extra: { perTaskMs: ms / TASKS } };
    },
  },
  verdict(o) {
    return { met: o.ratio <= 1.1, figure: `${o.ratio.toFixed(2)}× bare spawns (${o.subject.extra.perTaskMs.toFixed(1)} ms per task)` };
  },
};

export default bench;
