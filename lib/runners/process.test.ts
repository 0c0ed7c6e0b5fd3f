import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processRunner } from './process';
import { RunnerError, type RunnerLine, type RunnerRequest } from './types';
import { isGone } from '../../test/support/processes';

const GRACE_MS = 1_000;
/** The one timing promise: a cancelled or finished task ends within the grace period + 5 s. */
const ENDS_WITHIN_MS = GRACE_MS + 5_000;

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
    settings: {
      defaultRunner: 'process' as const,
      dockerVolumesEnabled: false,
      cacheDir: path.join(dir, '.cache'),
      runsDir: path.join(dir, '.runs'),
      limits: { killGraceMs: GRACE_MS },
    },
    log: () => {},
    detail: (key, value) => (details[key] = value),
    secret: () => {},
    ...req,
  });
  return { dir, details, request, runsDir: path.join(dir, '.runs') };
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

/** Reads a pid a detached child wrote to a file (it has no pipe left to print it on). */
async function pidFrom(file: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
    if (/^\d+$/.test(text)) return Number(text);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no pid in ${file}`);
}

describe('no process outlives its task', () => {
  it('cancel ends a setsid child, which left the session and group, within the grace period + 5 s', async () => {
    const controller = new AbortController();
    const { request } = await setup(controller.signal);
    const pids: number[] = [];
    let cancelledAt = 0;
    const result = await processRunner.run(request({
      command: ['/bin/sh', '-c', 'setsid sleep 3234 & echo $!; sleep 3234'],
      env: {},
      onLine: ({ line }) => {
        pids.push(Number(line));
        cancelledAt = Date.now();
        controller.abort();
      },
    }));
    expect(result.killedBy).toBe('cancel');
    expect(Date.now() - cancelledAt).toBeLessThan(ENDS_WITHIN_MS);
    expect(pids).toHaveLength(1);
    expect(isGone(pids[0]), `setsid child ${pids[0]} survived`).toBe(true);
  });

  it('a task that leaves a setsid child holding its stdout ends when its main process does, and the child with it', async () => {
    const { request } = await setup();
    const lines: string[] = [];
    const started = Date.now();
    const result = await processRunner.run(request({
      // One command a line, as a Commands task writes them: the setsid child then keeps stdout open.
      command: ['/bin/sh', '-c', 'setsid sleep 15 &\necho $!\necho done'],
      env: {},
      onLine: ({ line }) => lines.push(line),
    }));
    expect(result).toEqual({ exitCode: 0 });
    expect(lines[1]).toBe('done');
    expect(Date.now() - started).toBeLessThan(ENDS_WITHIN_MS);
    expect(isGone(Number(lines[0])), 'the setsid child survived').toBe(true);
  });

  it('ends double-forked and daemonised children that keep no pipe, however deep', async () => {
    const { dir, request } = await setup();
    const result = await processRunner.run(request({
      command: [
        '/bin/sh',
        '-c',
        [
          // Double fork: the middle process exits at once, the grandchild is re-parented.
          `( setsid sh -c 'sleep 3234 & echo $! > double.pid' & ) </dev/null >/dev/null 2>&1`,
          // A daemon: own session, stdio closed, parent gone.
          `setsid sh -c 'exec 0<&- 1>&- 2>&-; sleep 3234 & echo $! > daemon.pid; wait' </dev/null >/dev/null 2>&1 &`,
          'while [ ! -s double.pid ] || [ ! -s daemon.pid ]; do sleep 0.01; done',
        ].join('\n'),
      ],
      env: {},
      onLine: () => {},
    }));
    expect(result.exitCode).toBe(0);
    for (const name of ['double.pid', 'daemon.pid']) {
      const pid = await pidFrom(path.join(dir, name));
      expect(isGone(pid), `${name}: ${pid} survived`).toBe(true);
    }
  });

  it('kills what ignores SIGTERM once the grace period is over, within the grace period + 5 s', async () => {
    const controller = new AbortController();
    const { request } = await setup(controller.signal);
    const pids: number[] = [];
    let cancelledAt = 0;
    const result = await processRunner.run(request({
      command: ['/bin/sh', '-c', `trap '' TERM; setsid sh -c "trap '' TERM; while :; do sleep 1; done" & echo $!; while :; do sleep 1; done`],
      env: {},
      onLine: ({ line }) => {
        pids.push(Number(line));
        cancelledAt = Date.now();
        controller.abort();
      },
    }));
    expect(result.killedBy).toBe('cancel');
    expect(Date.now() - cancelledAt).toBeLessThan(ENDS_WITHIN_MS);
    expect(isGone(pids[0]), `${pids[0]} survived`).toBe(true);
  });

  it('records the run while it runs, so a start after a crash can end it, and removes the record after', async () => {
    const { request, runsDir } = await setup();
    const seen: string[][] = [];
    await processRunner.run(request({
      command: ['/bin/sh', '-c', 'echo "$FLOWBOOK_TASK_MARK"'],
      env: {},
      onLine: ({ line }) => seen.push([line, ...fs.readdirSync(runsDir)]),
    }));
    expect(seen).toHaveLength(1);
    const [mark, ...files] = seen[0];
    expect(mark).toMatch(/^[0-9a-f]{24}$/);
    expect(files).toEqual([`${mark}.json`]);
    expect(fs.readdirSync(runsDir)).toEqual([]);
  });
});

describe('output limits', () => {
  it('cuts a line over the line limit with a marker, without holding it whole, and the task goes on', async () => {
    const { request } = await setup();
    const lines: RunnerLine[] = [];
    const base = request({ command: [], env: {}, onLine: () => {} });
    const result = await processRunner.run({
      ...base,
      command: ['/bin/sh', '-c', "head -c 10000000 /dev/zero | tr '\\0' x; echo; echo after"],
      settings: { ...base.settings, limits: { logLineMaxBytes: 4096, killGraceMs: GRACE_MS } },
      onLine: (l) => lines.push(l),
    });
    expect(result.exitCode).toBe(0);
    expect(lines.map((l) => l.line.length)).toEqual([4096 + ' … [line cut: 9,995,904 more bytes]'.length, 5]);
    expect(lines[0].line.endsWith('x … [line cut: 9,995,904 more bytes]')).toBe(true);
    expect(lines[1].line).toBe('after');
  });

  it("cuts the task's log at its limit with a marker, drains the rest and says how much was not kept", async () => {
    const { request } = await setup();
    const lines: RunnerLine[] = [];
    const logs: string[] = [];
    const base = request({ command: [], env: {}, onLine: () => {} });
    const result = await processRunner.run({
      ...base,
      command: ['/bin/sh', '-c', 'i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done; echo finished >&2; exit 3'],
      settings: { ...base.settings, limits: { taskLogMaxBytes: 64 * 1024, killGraceMs: GRACE_MS } },
      onLine: (l) => lines.push(l),
      log: (_level, message) => logs.push(message),
    });
    // The task ran to its end (its exit code is its own), but only the first lines were kept.
    expect(result.exitCode).toBe(3);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.length).toBeLessThan(1000);
    expect(lines.every((l) => l.line !== 'finished')).toBe(true);
    expect(logs[0]).toMatch(/^log cut: this task's log reached 64 KiB/);
    expect(logs[1]).toMatch(/^output not kept: [\d,]+ more bytes \([\d,]+ lines or more\)/);
  });
});
