import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processRunner } from './process';
import { RunnerError, type RunnerLine, type RunnerRequest } from './types';
import { isGone } from '../../test/support/processes';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

/** A fresh working dir and everything a request needs besides the command, recording the runner's facts. */
async function setup(signal: AbortSignal = new AbortController().signal) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'flowbook-process-'));
  disposers.push(() => fsp.rm(dir, { recursive: true, force: true }));
  const details: Record<string, string> = {};
  const request = (req: Pick<RunnerRequest, 'command' | 'env' | 'onLine'>): RunnerRequest => ({
    workingDir: dir,
    options: {},
    signal,
    labels: { executionId: 'e1', taskRunId: 'tr1', taskId: 'sh' },
    settings: { defaultRunner: 'process', dockerVolumesEnabled: false, cacheDir: path.join(dir, '.cache') },
    log: () => {},
    detail: (key, value) => (details[key] = value),
    secret: () => {},
    ...req,
  });
  return { dir, details, request };
}

describe('process runner', () => {
  it('runs in the working dir, streams both streams line by line and returns the exit code', async () => {
    const { dir, details, request } = await setup();
    const lines: RunnerLine[] = [];
    const result = await processRunner.run(request({
      command: ['/bin/sh', '-c', 'pwd; printf "a\\r\\nb"; echo oops >&2; echo "$GREETING"; exit 3'],
      env: { GREETING: 'hi there' },
      onLine: (l) => lines.push(l),
    }));
    expect(result).toEqual({ exitCode: 3 });
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual([fs.realpathSync(dir), 'a', 'bhi there']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['oops']);
    expect(details.runner).toBe('process');
  });

  it('delivers a line before the process ends', async () => {
    const { dir, request } = await setup();
    const marker = path.join(dir, 'go');
    let sawLineWhileRunning = false;
    const result = await processRunner.run(request({
      // The script waits for a file that only the line handler creates.
      command: ['/bin/sh', '-c', `echo ready; while [ ! -f ${marker} ]; do sleep 0.05; done; echo done`],
      env: {},
      onLine: (l) => {
        if (l.line === 'ready') {
          sawLineWhileRunning = true;
          fs.writeFileSync(marker, '');
        }
      },
    }));
    expect(sawLineWhileRunning).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it('kills the whole process tree on cancel', async () => {
    const controller = new AbortController();
    const { request } = await setup(controller.signal);
    const pids: number[] = [];
    const result = await processRunner.run(request({
      command: ['/bin/sh', '-c', 'sleep 1000 & echo $!; sh -c "sleep 1000 & echo \\$!; wait" & echo $!; wait'],
      env: {},
      onLine: ({ line }) => {
        pids.push(Number(line));
        if (pids.length === 3) controller.abort();
      },
    }));
    expect(result.killedBy).toBe('cancel');
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isGone(pid), `pid ${pid} survived`).toBe(true);
  });

  it('ends background jobs left behind when the main process exits', async () => {
    const { request } = await setup();
    const pids: number[] = [];
    const result = await processRunner.run(request({
      command: ['/bin/sh', '-c', 'sleep 1000 > /dev/null 2>&1 & echo $!'],
      env: {},
      onLine: ({ line }) => pids.push(Number(line)),
    }));
    expect(result.exitCode).toBe(0);
    for (const pid of pids) expect(isGone(pid), `pid ${pid} survived`).toBe(true);
  });

  it('says which command could not start, as a RunnerError', async () => {
    const { request } = await setup();
    const running = processRunner.run(request({ command: ['/no/such/interpreter'], env: {}, onLine: () => {} }));
    await expect(running).rejects.toThrow(/could not start \/no\/such\/interpreter/);
    await expect(running).rejects.toBeInstanceOf(RunnerError);
  });
});

describe('process runner timeouts', () => {
  it('reports a timeout abort as killedBy timeout', async () => {
    const { request } = await setup(AbortSignal.timeout(200));
    const result = await processRunner.run(request({ command: ['/bin/sh', '-c', 'sleep 1000'], env: {}, onLine: () => {} }));
    expect(result.killedBy).toBe('timeout');
  });
});
