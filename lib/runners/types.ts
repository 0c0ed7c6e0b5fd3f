/**
 * Where a command runs is a separate, swappable runner: the process runner and the Docker
 * runner implement the same contract. A runner gets a narrow request (command, working dir,
 * env, its options, a signal, callbacks) and knows nothing of the task that asked.
 */
import type { LogLevel } from '../model/log';
import type { RunnerLimits } from '../config/runner-limits';

export interface RunnerLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

/** The settings runners read; the engine's settings include them. */
export interface RunnerSettings {
  /** `docker` | `process` | `auto`: where commands run when the request names no runner. */
  defaultRunner: 'docker' | 'process' | 'auto';
  /** Allow `volumes` on the Docker runner. */
  dockerVolumesEnabled: boolean;
  /** Network mode for containers whose options set none (Docker's default network when undefined). */
  dockerNetworkMode?: string;
  /** Directory for caches (virtualenvs, dependency layers). */
  cacheDir: string;
  /**
   * Where runners record each task's processes while it runs (`<dataDir>/runs`), so the start
   * after a crash can end what the crash left running. Nothing is recorded without it.
   */
  runsDir?: string;
  /** Output, stop and container limits; what is not given here comes from the FLOWBOOK_* settings. */
  limits?: Partial<RunnerLimits>;
}

/** Who a run is for; the Docker runner labels its containers with these, so a run's containers can be found. */
export interface RunnerLabels {
  executionId: string;
  taskRunId: string;
  taskId: string;
  /** The flow's namespace: containers of one namespace share a dependency cache, no other does. */
  namespace?: string;
}

export interface RunnerRequest {
  /** Working directory on the host; input files are already written there. */
  workingDir: string;
  /**
   * argv to run, e.g. ['/bin/sh', '.flowbook/commands.sh']. Every argument is visible to every
   * local user in `ps`: a script (which may hold rendered secrets) goes in a file, never here.
   */
  command: string[];
  env: Record<string, string>;
  /**
   * The `taskRunner` map (or legacy `docker:` options) as written, templates already rendered;
   * each runner parses and checks its own.
   */
  options: Record<string, unknown>;
  /** The image to run in, for container runners (the options' `image` wins). */
  containerImage?: string;
  /**
   * Aborted on cancel or timeout; the runner then ends everything it started. A `TimeoutError`
   * reason (or an Error with the message `timeout`) reads as a timeout, anything else as a cancel.
   */
  signal: AbortSignal;
  labels: RunnerLabels;
  settings: RunnerSettings;
  /**
   * Called for every complete line, in order, as soon as it is printed. A line longer than the
   * line limit arrives cut, with a marker; past the task's log limit, lines are counted, not passed on.
   */
  onLine(line: RunnerLine): void;
  /** The runner's own messages ("Pulling image …", ignored options), for the run's log. */
  log(level: LogLevel, message: string): void;
  /** A fact about the run shown beside it: `runner` (its name), `containerId`. */
  detail(key: string, value: string): void;
  /** A value read from the options that must never be shown (a registry password). */
  secret(value: string): void;
}

export interface RunnerResult {
  exitCode: number;
  /** Set when the runner ended the process itself (cancel, timeout, OOM). */
  killedBy?: 'cancel' | 'timeout' | 'oom';
}

export interface TaskRunner {
  readonly name: string;
  /**
   * Runs to completion; after it resolves, output files are back in `workingDir`. Fails with a
   * `RunnerError` when the command could not be run; its message is meant for the user as is.
   */
  run(request: RunnerRequest): Promise<RunnerResult>;
}

/** A run that could not happen or could not finish, in words for the user: shown as is. */
export class RunnerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunnerError';
  }
}

/** The image a container runner needs is neither local nor pullable. */
export class ImageUnavailableError extends RunnerError {
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImageUnavailableError';
  }
}
