/**
 * Where a script runs is a separate, swappable runner: the process runner and the Docker
 * runner implement the same contract, and script tasks never know which one they got.
 */
import type { RunContext } from '../tasks/types';

export interface RunnerLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface RunnerRequest {
  ctx: RunContext;
  /** Working directory on the host; input files are already written there. */
  workingDir: string;
  /** argv to run, e.g. ['/bin/sh', '-c', 'set -e\npython main.py']. */
  command: string[];
  env: Record<string, string>;
  /** The raw `taskRunner` map (or legacy `docker:` options) from the task, after pluginDefaults. */
  options: Record<string, unknown>;
  /** `containerImage` from the task, for container runners. */
  containerImage?: string;
  /** Called for every complete line, in order, as soon as it is printed. */
  onLine(line: RunnerLine): void;
}

export interface RunnerResult {
  exitCode: number;
  /** Set when the runner ended the process itself (cancel, timeout, OOM). */
  killedBy?: 'cancel' | 'timeout' | 'oom';
}

export interface TaskRunner {
  readonly name: string;
  /** Runs to completion; after it resolves, output files are back in `workingDir`. */
  run(request: RunnerRequest): Promise<RunnerResult>;
}
