/**
 * An app on SQLite in a throwaway data dir, and a bare engine beside it, for the
 * benchmarks that compare the server's path with the engine alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, type ExecutionResult } from '../lib/engine';
import { createApp, type App } from '../lib/server/app';
import { parseFlow } from '../lib/tasks/catalog';
import type { FlowSpec } from '../lib/flow/types';

export interface BenchApp {
  app: App;
  close(): Promise<void>;
}

export async function benchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-'));
  const app = await createApp({
    dataDir: dir,
    database: { kind: 'sqlite', file: path.join(dir, 'flowbook.db') },
    env: { FLOWBOOK_DEFAULT_RUNNER: 'process', ...env },
    migrationsRoot: process.cwd(),
  });
  return {
    app,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a saved notebook once through the app; resolves when its events are stored. */
export async function runThroughApp(app: App, notebookId: string): Promise<string> {
  const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
  await app.runs.settled(executionId);
  const row = await app.db.execution.findUniqueOrThrow({ where: { id: executionId }, select: { state: true } });
  if (row.state !== 'SUCCESS') throw new Error(`execution ${executionId} ended ${row.state}`);
  return executionId;
}

export interface BareEngine {
  engine: Engine;
  run(flow: FlowSpec): Promise<ExecutionResult>;
  close(): void;
}

export function bareEngine(): BareEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-bench-'));
  const engine = new Engine({ dataDir: dir });
  return {
    engine,
    async run(flow) {
      const result = await engine.start({ flow }).done;
      if (result.state !== 'SUCCESS') throw new Error(`bare engine run ended ${result.state}`);
      return result;
    },
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function flowOf(yaml: string): FlowSpec {
  const parsed = parseFlow(yaml);
  if (!parsed.flow) throw new Error(`bench flow does not parse: ${JSON.stringify(parsed)}`);
  return parsed.flow;
}
