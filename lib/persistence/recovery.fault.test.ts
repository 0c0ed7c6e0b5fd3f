/**
 * Fault test: a server killed with SIGKILL in the middle of a run, then started again on the
 * same data dir. What its task left running (a process that left the session, a container)
 * must be ended by the start, its execution KILLED and its temporary folder removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { isGone } from '../../test/support/processes';
import { dockerForTests, TEST_IMAGE } from '../../test/support/docker';
import { LABELS } from '../runners/docker';

const docker = await dockerForTests();
const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const leftovers: number[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  // A failed test must not leave its sleeps behind.
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

/** Starts a server that runs `flow`, waits until its task is under way, and kills it with SIGKILL. */
async function crashWhileRunning(dataDir: string, flow: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/crash-server.ts'), dataDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  child.stdin.end(flow);
  const lines = createInterface({ input: child.stdout });
  const executionId = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^started (\S+)$/.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before its task started`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return executionId;
}

function pidsIn(file: string): number[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map(Number);
}

describe('start after a crash', () => {
  it('ends the processes a process-runner task left (setsid ones too), KILLs the execution and removes its tmp folder', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-crash-'));
    const pidFile = path.join(dataDir, 'pids');
    const flow = `id: crash
namespace: test.crash
tasks:
  - id: sleeper
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - setsid sleep 3234 & echo $! >> ${pidFile}
      - echo $$ >> ${pidFile}
      - echo ready
      - sleep 3234
`;
    const executionId = await crashWhileRunning(dataDir, flow);
    const pids = pidsIn(pidFile);
    leftovers.push(...pids);
    // What the crash leaves: the task's processes, re-parented, and its folders.
    for (const pid of pids) expect(isGone(pid), `${pid} ended with the server, nothing to recover`).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'tmp', executionId))).toBe(true);
    expect(fs.readdirSync(path.join(dataDir, 'runs'))).toHaveLength(1);

    const restarted = Date.now();
    const app = await createApp({ dataDir, database: { kind: 'sqlite', file: path.join(dataDir, 'flowbook.db') }, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
    console.log(`process runner: the restart's recovery took ${Date.now() - restarted} ms (checked below: ${pids.length} processes ended, KILLED, tmp folder removed)`);
    try {
      for (const pid of pids) expect(isGone(pid), `${pid} survived the restart`).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'tmp', executionId))).toBe(false);
      expect(fs.readdirSync(path.join(dataDir, 'runs'))).toEqual([]);
      expect((await app.runs.detail(executionId)).execution.state).toBe('KILLED');
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!docker.ok)('removes the container of a Docker task the crash left running', async () => {
    if (!docker.ok) return;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-crash-'));
    const flow = `id: crash
namespace: test.crash
tasks:
  - id: sleeper
    type: io.kestra.plugin.scripts.shell.Commands
    containerImage: ${TEST_IMAGE}
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      pullPolicy: NEVER
      networkMode: none
    commands:
      - echo ready
      - sleep 3234
`;
    const executionId = await crashWhileRunning(dataDir, flow);
    const ofExecution = () => docker.client.listContainers({ all: true, filters: { label: [`${LABELS.execution}=${executionId}`] } });
    expect(await ofExecution()).toHaveLength(1);
    const restarted = Date.now();
    const app = await createApp({ dataDir, database: { kind: 'sqlite', file: path.join(dataDir, 'flowbook.db') }, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
    console.log(`Docker runner: the restart's recovery took ${Date.now() - restarted} ms (checked below: container removed within 30 s, KILLED, tmp folder removed)`);
    try {
      // The start may remove containers just after it answers (it serves first): a deadline, not a speed test.
      await expect.poll(ofExecution, { timeout: 30_000, interval: 250 }).toEqual([]);
      expect((await app.runs.detail(executionId)).execution.state).toBe('KILLED');
      expect(fs.existsSync(path.join(dataDir, 'tmp', executionId))).toBe(false);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
