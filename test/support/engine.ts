/**
 * A real engine over a temporary data dir, for tests that run flows as a user would and read
 * what the user sees: states, outputs, log lines, and the order of the state changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFlow } from '../../lib/tasks/catalog';
import type { FlowSpec } from '../../lib/flow';
import { Engine, type EngineOptions, type ExecutionResult, type RunRequest } from '../../lib/engine/engine';
import type { EngineEvent, LogLine } from '../../lib/engine/events';

export interface TestEngine {
  engine: Engine;
  dataDir: string;
  events: EngineEvent[];
  /** Reads a flow; validation errors throw with every message. */
  flow(yaml: string): FlowSpec;
  run(yaml: string, req?: Omit<RunRequest, 'flow'>): Promise<ExecutionResult>;
  logsOf(executionId: string): LogLine[];
  /** The states an execution went through, in order, without repeats. */
  executionStates(executionId: string): string[];
  /** The states of a task's task runs, in order, without repeats (one task run per call when a loop runs it once). */
  taskRunStates(executionId: string, taskId: string): string[];
  close(): Promise<void>;
}

export function createTestEngine(options: Partial<EngineOptions> = {}): TestEngine {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-engine-'));
  const engine = new Engine({ dataDir, settings: { defaultRunner: 'process' }, ...options });
  const events: EngineEvent[] = [];
  engine.bus.subscribe((e) => events.push(e));
  const flow = (yaml: string): FlowSpec => {
    const parsed = parseFlow(yaml);
    const errors = parsed.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0 || !parsed.flow) throw new Error(errors.map((e) => e.message).join('\n'));
    return parsed.flow;
  };
  const dedupe = (states: string[]) => states.filter((s, i) => i === 0 || states[i - 1] !== s);
  return {
    engine,
    dataDir,
    events,
    flow,
    run: (yaml, req = {}) => engine.start({ ...req, flow: flow(yaml) }).done,
    logsOf: (id) => events.flatMap((e) => (e.kind === 'log' && e.log.executionId === id ? [e.log] : [])),
    executionStates: (id) => dedupe(events.flatMap((e) => (e.kind === 'execution' && e.execution.id === id ? [e.execution.state] : []))),
    taskRunStates: (id, taskId) =>
      dedupe(events.flatMap((e) => (e.kind === 'taskrun' && e.taskRun.executionId === id && e.taskRun.taskId === taskId ? [e.taskRun.state] : []))),
    close: async () => {
      await engine.drain();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `taskId → state` of an execution's task runs (the last task run of a task wins). */
export function statesOf(result: Pick<ExecutionResult, 'taskRuns'>): Record<string, string> {
  return Object.fromEntries(result.taskRuns.map((t) => [t.taskId, t.state]));
}
