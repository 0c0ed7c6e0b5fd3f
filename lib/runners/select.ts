/**
 * Picks where a script runs. Kestra's script tasks default to Docker; Flowbook keeps that
 * default when a Docker engine answers and otherwise runs the script on this machine, with a
 * warning that says so, so a flow written for Kestra still runs.
 */
import type { RunnerSettings, TaskRunner } from './types';
import { PROCESS_RUNNER_TYPE, processRunner } from './process';
import { dockerAvailable, dockerRunner } from './docker';

export const DOCKER_RUNNER_TYPE = 'io.kestra.plugin.scripts.runner.docker.Docker';

const PROCESS_TYPES = new Set([PROCESS_RUNNER_TYPE, 'io.kestra.core.models.tasks.runners.types.ProcessTaskRunner']);
const DOCKER_TYPES = new Set([DOCKER_RUNNER_TYPE, 'io.kestra.plugin.scripts.runner.docker.DockerTaskRunner']);

/** Where a script asks to run, in Kestra's property names (raw, after pluginDefaults). */
export interface RunnerChoice {
  taskRunner?: Record<string, unknown>;
  /** Legacy `docker:` options of older script tasks. */
  docker?: Record<string, unknown>;
  /** Legacy `runner: PROCESS | DOCKER` of older script tasks. */
  runner?: string;
}

export interface SelectedRunner {
  runner: TaskRunner;
  /** Options for the runner: the `taskRunner` map, or the legacy `docker:` map in the same shape. */
  options: Record<string, unknown>;
  /** Why the runner differs from what was asked for; the caller logs it as a warning. */
  warning?: string;
}

export async function selectRunner(settings: Pick<RunnerSettings, 'defaultRunner'>, task: RunnerChoice): Promise<SelectedRunner> {
  const type = typeof task.taskRunner?.type === 'string' ? task.taskRunner.type : undefined;
  if (type !== undefined) {
    // The process runner has no options of its own: `type` is all a Process `taskRunner` says.
    if (PROCESS_TYPES.has(type)) return { runner: processRunner, options: {} };
    if (DOCKER_TYPES.has(type)) return docker(task.taskRunner ?? {});
    return {
      runner: processRunner,
      options: {},
      warning: `Task runner ${type} is not supported locally: running on the local process runner`,
    };
  }
  if (task.runner?.toUpperCase() === 'PROCESS') return { runner: processRunner, options: {} };
  if (task.docker !== undefined || task.runner?.toUpperCase() === 'DOCKER') return docker({ type: DOCKER_RUNNER_TYPE, ...task.docker });
  switch (settings.defaultRunner) {
    case 'process':
      return { runner: processRunner, options: {} };
    case 'docker':
    case 'auto':
      return docker({ type: DOCKER_RUNNER_TYPE });
  }
}

async function docker(options: Record<string, unknown>): Promise<SelectedRunner> {
  const status = await dockerAvailable();
  if (status.ok) return { runner: dockerRunner, options };
  return {
    runner: processRunner,
    options: {},
    warning: `Docker engine not reachable (${status.reason}): running on the local process runner`,
  };
}
