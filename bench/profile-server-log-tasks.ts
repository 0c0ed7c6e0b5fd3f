/**
 * A CPU profile of the server's hot path: the 1,000-Log-task run of server-log-tasks.bench.ts
 * through the app on SQLite, profiled after one warm-up run, four runs in a row. Prints the
 * time per task of each run and writes a .cpuprofile (open it in Chrome DevTools).
 * Run: node --import tsx bench/profile-server-log-tasks.ts [out.cpuprofile]
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { benchApp, runThroughApp } from './app-fixture';

const TASKS = 1_000;
const out = process.argv[2] ?? 'server-log-tasks.cpuprofile';
const yaml = `id: many_logs
namespace: bench
tasks:
${Array.from({ length: TASKS }, (_, i) => `  - id: log_${i}\n    type: io.kestra.plugin.core.log.Log\n    message: "task ${i} says hello"\n`).join('')}`;

const server = await benchApp();
const { id } = await server.app.notebooks.create(yaml);
await runThroughApp(server.app, id);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
for (let i = 0; i < 4; i++) {
  const started = performance.now();
  await runThroughApp(server.app, id);
  console.log(`${((performance.now() - started) / TASKS).toFixed(2)} ms per task`);
}
const { profile } = await session.post('Profiler.stop');
fs.writeFileSync(out, JSON.stringify(profile));
console.log(`wrote ${out}`);
await server.close();
process.exit(0);
