/**
 * How much storing log lines costs a chatty task: the same shell task printing N lines,
 * run by the bare engine (nothing stored) and through the app (every line stored with its
 * seq in SQLite), side by side. Prints both times and the ratio.
 * Run: node --import tsx bench/log-persistence.ts [lines]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFlow } from '../lib/tasks/catalog';
import { Engine } from '../lib/engine';
import { createApp } from '../lib/server/app';

const lines = Number(process.argv[2] ?? 100_000);
const yaml = `id: chatty
namespace: bench
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - seq 1 ${lines} | sed 's/^/line /'
`;

async function bareEngine(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-'));
  const engine = new Engine({ dataDir: dir });
  let seen = 0;
  engine.bus.subscribe((e) => {
    if (e.kind === 'log') seen++;
  });
  const started = performance.now();
  const result = await engine.start({ flow: parseFlow(yaml).flow! }).done;
  const ms = performance.now() - started;
  if (result.state !== 'SUCCESS' || seen < lines) throw new Error(`engine run ended ${result.state} with ${seen} lines`);
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function throughApp(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-'));
  const app = await createApp({ dataDir: dir, database: { kind: 'sqlite', file: path.join(dir, 'flowbook.db') }, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
  const { id } = await app.notebooks.create(yaml);
  const started = performance.now();
  const { executionId } = await app.runs.start(id, { mode: 'all' });
  await app.runs.settled(executionId);
  const ms = performance.now() - started;
  const stored = await app.db.logLine.count({ where: { executionId } });
  if (stored < lines) throw new Error(`only ${stored} of ${lines} lines stored`);
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

const engineMs = await bareEngine();
const appMs = await throughApp();
console.log(`${lines} log lines: engine alone ${Math.round(engineMs)} ms; through the app, stored in SQLite ${Math.round(appMs)} ms`);
console.log(`ratio (stored / engine alone): ${(appMs / engineMs).toFixed(2)}; ${Math.round(lines / (appMs / 1000))} lines/s stored`);
