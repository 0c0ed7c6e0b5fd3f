import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRunContext } from '../engine/run-context';
import { processRunner } from './process';
import type { RunnerLine } from './types';
import { isGone } from '../../test/support/processes';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function setup(signal?: AbortSignal) {
  const t = await createTestRunContext({ task: { id: 'sh', type: 'io.kestra.plugin.scripts.shell.Commands' }, signal });
  disposers.push(t.dispose);
  return { ...t, dir: await t.ctx.workingDir() };
}


describe('process runner', () => {
  it('runs in the working dir, streams both streams line by line and returns the exit code', async () => {
    const { ctx, dir, details } = await setup();
    const lines: RunnerLine[] = [];
    const result = await processRunner.run({
      ctx,
      workingDir: dir,
      command: ['/bin/sh', '-c', 'pwd; printf "a\\r\\nb"; echo oops >&2; echo "$GREETING"; exit 3'],
      env: { GREETING: 'hi there' },
      options: {},
      onLine: (l) => lines.push(l),
    });
    expect(result).toEqual({ exitCode: 3 });
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual([fs.realpathSync(dir), 'a', 'bhi there']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['oops']);
    expect(details.runner).toBe('process');
  });

  it('delivers a line before the process ends', async () => {
    const { ctx, dir } = await setup();
    const marker = path.join(dir, 'go');
    let sawLineWhileRunning = false;
    const result = await processRunner.run({
      ctx,
      workingDir: dir,
      // The script waits for a file that only the line handler creates.
      command: ['/bin/sh', '-c', `echo ready; while [ ! -f ${marker} ]; do sleep 0.05; done; echo done`],
      env: {},
      options: {},
      onLine: (l) => {
        if (l.line === 'ready') {
          sawLineWhileRunning = true;
          fs.writeFileSync(marker, '');
        }
      },
    });
    expect(sawLineWhileRunning).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it('kills the whole process tree on cancel', async () => {
    const controller = new AbortController();
    const { ctx, dir } = await setup(controller.signal);
    const pids: number[] = [];
    const result = await processRunner.run({
      ctx,
      workingDir: dir,
      command: ['/bin/sh', '-c', 'sleep 1000 & echo $!; sh -c "sleep 1000 & echo \\$!; wait" & echo $!; wait'],
      env: {},
      options: {},
      onLine: ({ line }) => {
        pids.push(Number(line));
        if (pids.length === 3) controller.abort();
      },
    });
    expect(result.killedBy).toBe('cancel');
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isGone(pid), `pid ${pid} survived`).toBe(true);
  });

  it('ends background jobs left behind when the main process exits', async () => {
    const { ctx, dir } = await setup();
    const pids: number[] = [];
    const result = await processRunner.run({
      ctx,
      workingDir: dir,
      command: ['/bin/sh', '-c', 'sleep 1000 > /dev/null 2>&1 & echo $!'],
      env: {},
      options: {},
      onLine: ({ line }) => pids.push(Number(line)),
    });
    expect(result.exitCode).toBe(0);
    for (const pid of pids) expect(isGone(pid), `pid ${pid} survived`).toBe(true);
  });

  it('says which command could not start', async () => {
    const { ctx, dir } = await setup();
    await expect(
      processRunner.run({ ctx, workingDir: dir, command: ['/no/such/interpreter'], env: {}, options: {}, onLine: () => {} }),
    ).rejects.toThrow(/could not start \/no\/such\/interpreter/);
  });
});

describe('process runner timeouts', () => {
  it('reports a timeout abort as killedBy timeout', async () => {
    const { ctx, dir } = await setup(AbortSignal.timeout(200));
    const result = await processRunner.run({ ctx, workingDir: dir, command: ['/bin/sh', '-c', 'sleep 1000'], env: {}, options: {}, onLine: () => {} });
    expect(result.killedBy).toBe('timeout');
  });
});
