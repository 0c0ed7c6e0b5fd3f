/**
 * The server's cost per task: a flow of 1,000 Log tasks run through the app (every
 * execution state, task-run state and log line stored in SQLite before it is sent) against
 * the same flow in the bare engine (nothing stored).
 */
import type { Benchmark } from './harness';
import { timed } from './harness';
import { bareEngine, benchApp, flowOf, runThroughApp, type BareEngine, type BenchApp } from './app-fixture';

const TASKS = 1_000;
const yaml = `id: many_logs
namespace: bench
tasks:
${Array.from({ length: TASKS }, (_, i) => `  - id: log_${i}\n    type: io.kestra.plugin.core.log.Log\n    message: "task ${i} says hello"\n`).join('')}`;

let server: BenchApp | undefined;
let engine: BareEngine | undefined;
let notebookId = '';

const bench: Benchmark = {
  id: 'server-log-tasks',
  title: `${TASKS.toLocaleString('en')} Log tasks in one run`,
  target: '≤ 1 ms per task (≤ 20× bare engine)',
  async setup() {
    server = await benchApp();
    notebookId = (await server.app.notebooks.create(yaml)).id;
    engine = bareEngine();
  },
  async teardown() {
    await server?.close();
    engine?.close();
  },
  baseline: {
    name: 'bare engine',
    async run() {
      const flow = flowOf(yaml);
      return { ms: await timed(() => engine!.run(flow)) };
    },
  },
  subject: {
    name: 'through the app (SQLite)',
    async run() {
      return { ms: await timed(() => runThroughApp(server!.app, notebookId)) };
    },
  },
  verdict(o) {
    const perTask = o.subject.median / TASKS;
    return { met: perTask <= 1 && o.ratio <= 20, figure: `${perTask.toFixed(2)} ms per task` };
  },
};

export default bench;
