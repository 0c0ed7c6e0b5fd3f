/**
 * The local process runner (`io.kestra.plugin.core.runner.Process`): runs the command on
 * this machine in the task's working directory, streams stdout and stderr line by line as
 * they are printed, and ends the whole process tree on cancel or timeout.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { RunnerError, type RunnerRequest, type RunnerResult, type TaskRunner } from './types';
import { abortReason } from './abort';
import { LineSplitter } from './process/line-splitter';
import { terminateGroup } from './process/process-tree';

/** How long a process tree gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3_000;

export const PROCESS_RUNNER_TYPE = 'io.kestra.plugin.core.runner.Process';

/** The server's own secrets must not reach scripts; Kestra scripts get secrets through `secret()`. */
function childEnv(taskEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SECRET_')) delete env[k];
  return Object.assign(env, taskEnv);
}

export const processRunner: TaskRunner = {
  name: 'process',

  run(request: RunnerRequest): Promise<RunnerResult> {
    const { command, workingDir, signal } = request;
    if (command.length === 0) return Promise.reject(new Error('process runner: empty command'));
    if (signal.aborted) return Promise.resolve({ exitCode: -1, killedBy: abortReason(signal) });
    request.detail('runner', 'process');

    return new Promise<RunnerResult>((resolve, reject) => {
      const child = spawn(command[0], command.slice(1), {
        cwd: workingDir,
        env: childEnv(request.env),
        // Its own process group, so the whole tree can be signalled at once.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let killedBy: RunnerResult['killedBy'];
      let exitCode: number | null = null;
      let spawnError: Error | undefined;
      // Resolves once nothing of the tree runs any more; the run only ends after it.
      let ended: Promise<void> = Promise.resolve();
      const endTree = () => {
        const pid = child.pid;
        if (pid !== undefined) ended = ended.then(() => terminateGroup(pid, KILL_GRACE_MS));
      };

      const stdout = new LineSplitter((line) => request.onLine({ stream: 'stdout', line }));
      const stderr = new LineSplitter((line) => request.onLine({ stream: 'stderr', line }));
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

      const onAbort = () => {
        killedBy = abortReason(signal);
        endTree();
      };
      signal.addEventListener('abort', onAbort, { once: true });

      child.on('error', (err) => {
        spawnError = err;
      });
      child.on('exit', (code, signal) => {
        exitCode = code ?? (signal ? 128 + signalNumber(signal) : -1);
        // A task's background jobs must not outlive it (and would hold the pipes open).
        endTree();
      });
      child.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        stdout.end();
        stderr.end();
        if (spawnError && exitCode === null) {
          reject(new RunnerError(`could not start ${command[0]} in ${workingDir}: ${spawnError.message}`, { cause: spawnError }));
          return;
        }
        const code = exitCode ?? -1;
        ended.then(
          () => resolve(killedBy ? { exitCode: code, killedBy } : { exitCode: code }),
          (err: unknown) => reject(new RunnerError(`could not end the processes of ${command[0]}`, { cause: err })),
        );
      });
    });
  },
};

/** Shells report a death by signal as 128 + its number; do the same so `exit 143` reads alike. */
function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}
