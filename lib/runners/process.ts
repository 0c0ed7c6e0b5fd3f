/**
 * The local process runner (`io.kestra.plugin.core.runner.Process`): runs the command on
 * this machine in the task's working directory and streams stdout and stderr line by line
 * as they are printed.
 *
 * No process outlives its task. Every process the task starts carries the task's marker
 * (process/process-tree.ts), so the runner finds them all, even those that left the session
 * (`setsid`, double forks, daemons). The task ends when its main process has exited: whatever
 * it left running is then ended (SIGTERM, SIGKILL after the grace period), as a container's
 * processes end with its main process under Kestra's default Docker runner. (Kestra's own
 * Process runner, core/src/main/java/io/kestra/plugin/core/runner/Process.java, waits for the
 * main process and then for its stdout/stderr readers, so a background job holding the pipes
 * keeps the task running; on a kill it destroys ProcessHandle.descendants(), which no longer
 * includes re-parented ones. Flowbook ends both kinds.) On cancel or timeout the same happens
 * at once. A record in the runs dir lets the next start end them if the server dies first.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Readable } from 'node:stream';
import { RunnerError, type RunnerRequest, type RunnerResult, type TaskRunner } from './types';
import { abortReason } from './abort';
import { endTaskProcesses, MARK_VARIABLE, type TaskMark } from './process/process-tree';
import { TaskOutput } from './output';
import { limitsOf } from './limits';
import { recordRun } from './run-records';

export const PROCESS_RUNNER_TYPE = 'io.kestra.plugin.core.runner.Process';

/**
 * Once every process is gone the pipes close; a process the runner could not see (one that
 * cleared its environment and left the session) may still hold them, and then the runner stops
 * reading after this long instead of waiting for it.
 */
const PIPE_DRAIN_MS = 1_000;

/** The server's own secrets must not reach scripts; Kestra scripts get secrets through `secret()`. */
function childEnv(taskEnv: Record<string, string>, token: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SECRET_')) delete env[k];
  Object.assign(env, taskEnv);
  env[MARK_VARIABLE] = token;
  return env;
}

export const processRunner: TaskRunner = {
  name: 'process',

  async run(request: RunnerRequest): Promise<RunnerResult> {
    const { command, workingDir, signal } = request;
    if (command.length === 0) throw new Error('process runner: empty command');
    if (signal.aborted) return { exitCode: -1, killedBy: abortReason(signal) };
    request.detail('runner', 'process');
    const limits = limitsOf(request.settings);
    const token = randomBytes(12).toString('hex');
    // Recorded before the first process starts, so no crash can leave one unrecorded.
    const record = await recordRun(request.settings.runsDir, { token, labels: request.labels, workingDir });
    try {
      return await runMarked(request, token, limits.killGraceMs, new TaskOutput(request, limits));
    } finally {
      await record.remove();
    }
  },
};

function runMarked(request: RunnerRequest, token: string, graceMs: number, output: TaskOutput): Promise<RunnerResult> {
  const { command, workingDir, signal } = request;
  return new Promise<RunnerResult>((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: workingDir,
      env: childEnv(request.env, token),
      // Its own session and process group: the task's processes are told apart by them too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const mark: TaskMark = { token, leader: child.pid };
    let killedBy: RunnerResult['killedBy'];
    // One ending at a time; a cancel during the ending after exit joins it.
    let ending: Promise<number> | undefined;
    const endAll = () => (ending ??= endTaskProcesses(mark, graceMs));

    child.stdout.on('data', (chunk: Buffer) => output.stdout(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.stderr(chunk));
    const streamsClosed = Promise.all([closed(child.stdout), closed(child.stderr)]);

    const onAbort = () => {
      killedBy = abortReason(signal);
      void endAll();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const exited = new Promise<number>((done, fail) => {
      child.once('error', fail);
      child.once('exit', (code, sig) => done(code ?? (sig ? 128 + signalNumber(sig) : -1)));
    });

    exited.then(
      async (exitCode) => {
        // The task is over once its main process is: what it left running is ended now.
        await endAll();
        signal.removeEventListener('abort', onAbort);
        await drain(child.stdout, child.stderr, streamsClosed);
        output.end();
        resolve(killedBy ? { exitCode, killedBy } : { exitCode });
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(new RunnerError(`could not start ${command[0]} in ${workingDir}: ${err.message}`, { cause: err }));
      },
    ).catch((err: unknown) => {
      signal.removeEventListener('abort', onAbort);
      reject(new RunnerError(`could not end the processes of ${command[0]}`, { cause: err }));
    });
  });
}

function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.readableEnded) return resolve();
    stream.once('close', () => resolve());
  });
}

/** Reads what is left in the pipes; gives up on a holder it could not end after PIPE_DRAIN_MS. */
async function drain(stdout: Readable, stderr: Readable, streamsClosed: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), PIPE_DRAIN_MS);
  });
  const outcome = await Promise.race([streamsClosed, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    stdout.destroy();
    stderr.destroy();
  }
}

/** Shells report a death by signal as 128 + its number; do the same so `exit 143` reads alike. */
function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}
