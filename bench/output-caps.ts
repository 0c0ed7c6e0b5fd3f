/**
 * The server's memory while a shell task prints a 600 MB line (`head -c 600000000 /dev/zero |
 * tr '\0' x`) through the whole app: process runner, engine, masking, the persister and SQLite.
 * Prints the RSS before and at its peak, the longest stored log row and the task's state.
 * Run: `npx tsx bench/output-caps.ts [bytes]` (default 600000000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../lib/server/app';

const BYTES = Number(process.argv[2] ?? 600_000_000);
const FLOW = `id: flood
namespace: bench.caps
tasks:
  - id: flood
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - head -c ${BYTES} /dev/zero | tr '\\0' x
`;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-caps-'));
  const app = await createApp({ dataDir, database: { kind: 'sqlite', file: path.join(dataDir, 'flowbook.db') }, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
  try {
    const mib = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MiB`;
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const { id } = await app.notebooks.create(FLOW);
    const { executionId } = await app.runs.start(id, { mode: 'all' });
    await app.runs.settled(executionId);
    clearInterval(sampler);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const logs = await app.runs.logs(executionId);
    const longest = Math.max(...logs.map((l) => l.message.length));
    const state = (await app.runs.detail(executionId)).execution.state;
    console.log(`printed ${BYTES.toLocaleString('en-US')} bytes on one line in ${seconds} s: ${state}`);
    console.log(`RSS before ${mib(before)}, peak ${mib(peak)} (+${mib(peak - before)})`);
    console.log(`longest stored log row: ${longest.toLocaleString('en-US')} characters; ${logs.length} rows`);
    console.log(`its end: …${logs.find((l) => l.message.length === longest)?.message.slice(-45)}`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
