import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLevel } from '../../model/log';
import type { RunnerLabels, RunnerLine, RunnerResult, RunnerSettings } from '../types';
import { containersLabelled, dockerForTests, TEST_IMAGE } from '../../../test/support/docker';
import { cleanupLeftoverContainers, dockerAvailable, dockerRunner, LABELS } from './index';

const docker = await dockerForTests();

interface ScriptRun {
  /** Shell script run with /bin/sh in the working dir. */
  script: string;
  options?: Record<string, unknown>;
  image?: string;
  env?(workingDir: string): Record<string, string>;
  files?: Record<string, string>;
  signal?: AbortSignal;
  settings?: Partial<RunnerSettings>;
  namespace?: string;
  onLine?(line: RunnerLine): void;
}

const GRACE_MS = 1_000;
/** The one timing promise: a cancelled task ends within the grace period + 5 s. */
const ENDS_WITHIN_MS = GRACE_MS + 5_000;

const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

async function prepare(run: ScriptRun) {
  const workingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowbook-docker-'));
  disposers.push(() => fs.rm(workingDir, { recursive: true, force: true }));
  const labels: RunnerLabels = { executionId: randomUUID(), taskRunId: randomUUID(), taskId: 'script', namespace: run.namespace };
  const details: Record<string, string> = {};
  const logs: { level: LogLevel; message: string }[] = [];
  for (const [name, content] of Object.entries(run.files ?? {})) {
    await fs.mkdir(path.dirname(path.join(workingDir, name)), { recursive: true });
    await fs.writeFile(path.join(workingDir, name), content);
  }
  const lines: RunnerLine[] = [];
  const result = dockerRunner.run({
    workingDir,
    command: ['/bin/sh', '-c', run.script],
    env: run.env?.(workingDir) ?? {},
    options: { networkMode: 'none', ...run.options },
    containerImage: run.image ?? TEST_IMAGE,
    signal: run.signal ?? new AbortController().signal,
    labels,
    settings: { defaultRunner: 'docker', dockerVolumesEnabled: false, cacheDir: path.join(workingDir, '.cache'), limits: { killGraceMs: GRACE_MS }, ...run.settings },
    onLine: (line) => {
      lines.push(line);
      run.onLine?.(line);
    },
    log: (level, message) => logs.push({ level, message }),
    detail: (key, value) => (details[key] = value),
    secret: () => {},
  });
  return { workingDir, labels, details, logs, lines, result };
}

async function runScript(run: ScriptRun) {
  const prepared = await prepare(run);
  return { ...prepared, result: await prepared.result };
}

/**
 * Installs a local .deb with apt-get (apt drops to its _apt user: SETUID, SETGID) and a local
 * wheel with pip, without a network.
 */
const APT_AND_PIP = String.raw`set -e
mkdir -p /tmp/p/DEBIAN /tmp/p/usr/local/share/fbdemo
printf 'Package: fbdemo\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@example.com>\nDescription: demo\n' > /tmp/p/DEBIAN/control
echo installed > /tmp/p/usr/local/share/fbdemo/state
dpkg-deb --build /tmp/p /tmp/fbdemo.deb >/dev/null
apt-get install -y -qq /tmp/fbdemo.deb >/dev/null 2>/tmp/apt.err || { cat /tmp/apt.err; exit 3; }
echo "deb $(cat /usr/local/share/fbdemo/state)"
python3 - <<'PY'
import base64, hashlib, zipfile
files = {"fbwheel/__init__.py": b"VALUE = 42\n", "fbwheel-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: fbwheel\nVersion: 1.0\n",
         "fbwheel-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
record = "".join(f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}\n" for p, d in files.items())
with zipfile.ZipFile("/tmp/fbwheel-1.0-py3-none-any.whl", "w") as z:
    for p, d in files.items():
        z.writestr(p, d)
    z.writestr("fbwheel-1.0.dist-info/RECORD", record + "fbwheel-1.0.dist-info/RECORD,,\n")
PY
pip install -q --no-index --disable-pip-version-check --root-user-action=ignore /tmp/fbwheel-1.0-py3-none-any.whl
python3 -c 'import fbwheel; print("wheel", fbwheel.VALUE)'
`;

const text = (lines: RunnerLine[], stream?: RunnerLine['stream']) =>
  lines.filter((l) => stream === undefined || l.stream === stream).map((l) => l.line);

describe.skipIf(!docker.ok)('Docker task runner (real engine)', () => {
  const client = docker.ok ? docker.client : undefined;

  it('streams a line before the container exits, then removes the container', async () => {
    let firstLine!: () => void;
    const gotFirstLine = new Promise<void>((resolve) => (firstLine = resolve));
    const run = await prepare({
      // Waits for the test to release it, so "still running" does not depend on timing.
      script: `python3 -u -c "
import os, time
print('first line')
for _ in range(600):
    if os.path.exists('release'): break
    time.sleep(0.1)
print('released')
"`,
      options: { fileHandlingStrategy: 'MOUNT' },
      onLine: (line) => line.line === 'first line' && firstLine(),
    });
    await gotFirstLine;
    const containerId = run.details.containerId;
    expect(containerId).toMatch(/^[0-9a-f]{64}$/);
    const state = (await client!.getContainer(containerId).inspect()).State;
    expect(state.Running).toBe(true);

    await fs.writeFile(path.join(run.workingDir, 'release'), '');
    const result = await run.result;
    expect(result).toEqual({ exitCode: 0 });
    expect(text(run.lines)).toEqual(['first line', 'released']);
    expect(run.details.runner).toBe('docker');
    await expect(client!.getContainer(containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('copies input files in and the whole working dir back out (VOLUME, the default)', async () => {
    const run = await runScript({
      files: { 'data.csv': 'a,b\n1,2\n', 'nested/in.txt': 'deep\n' },
      script: 'set -e\ncat data.csv nested/in.txt\nmkdir -p out/sub\necho result > out/sub/result.txt\necho "$WORKING_DIR" > where.txt\npwd >> where.txt',
    });
    expect(run.result).toEqual({ exitCode: 0 });
    // This process and the image's user are both root on a local engine: a bind mount is the same dir, without the copies.
    expect(run.details.workingDir).toBe(process.getuid?.() === 0 ? 'bind-mounted' : 'copied in and out');
    expect(text(run.lines, 'stdout')).toEqual(['a,b', '1,2', 'deep']);
    expect(await fs.readFile(path.join(run.workingDir, 'out/sub/result.txt'), 'utf8')).toBe('result\n');
    // Same path inside and outside, as Kestra does, so {{workingDir}} means the same everywhere.
    expect(await fs.readFile(path.join(run.workingDir, 'where.txt'), 'utf8')).toBe(`${run.workingDir}\n${run.workingDir}\n`);
  });

  it('bind-mounts the working dir with fileHandlingStrategy MOUNT', async () => {
    const run = await runScript({
      files: { 'in.txt': 'mounted\n' },
      options: { fileHandlingStrategy: 'MOUNT' },
      script: 'set -e\ncat in.txt\necho made-inside > out.txt',
    });
    expect(run.result).toEqual({ exitCode: 0 });
    expect(text(run.lines)).toEqual(['mounted']);
    expect(await fs.readFile(path.join(run.workingDir, 'out.txt'), 'utf8')).toBe('made-inside\n');
  });

  it('passes ::{json}:: protocol lines through verbatim and keeps stdout and stderr apart', async () => {
    const run = await runScript({
      script: `python3 -c "
import sys
print('::{\\"outputs\\":{\\"rows\\":3,\\"name\\":\\"taxi\\"}}::')
print('to stderr', file=sys.stderr)
print('to stdout')
"`,
    });
    expect(run.result).toEqual({ exitCode: 0 });
    expect(text(run.lines, 'stdout')).toEqual(['::{"outputs":{"rows":3,"name":"taxi"}}::', 'to stdout']);
    expect(text(run.lines, 'stderr')).toEqual(['to stderr']);
  });

  it('reports the exit code of a failing script and still copies files out', async () => {
    const run = await runScript({ script: 'echo partial > partial.txt\necho failing >&2\nexit 3' });
    expect(run.result).toEqual({ exitCode: 3 });
    expect(text(run.lines, 'stderr')).toEqual(['failing']);
    expect(await fs.readFile(path.join(run.workingDir, 'partial.txt'), 'utf8')).toBe('partial\n');
  });

  it('passes env and PYTHONPATH through, so the kestra module in the working dir imports', async () => {
    const run = await runScript({
      files: { '.flowbook/python/kestra.py': 'def hello():\n    return "from the kestra module"\n' },
      // The task points PYTHONPATH into its working dir; that path exists in the container too.
      env: (workingDir) => ({ PYTHONPATH: `${workingDir}/.flowbook/python`, GREETING: 'task-env' }),
      options: { env: { FROM_RUNNER: 'runner-env' } },
      script: 'python3 -c "import os, kestra; print(kestra.hello()); print(os.environ[\'GREETING\'], os.environ[\'FROM_RUNNER\'])"',
    });
    expect(run.result).toEqual({ exitCode: 0 });
    expect(text(run.lines)).toEqual(['from the kestra module', 'task-env runner-env']);
  });

  it('ends the container on cancel and leaves none behind', async () => {
    const abort = new AbortController();
    const run = await prepare({
      script: 'echo started\nsleep 60\necho never',
      signal: abort.signal,
      onLine: (line) => line.line === 'started' && abort.abort(),
    });
    const result = await run.result;
    expect(result.killedBy).toBe('cancel');
    expect(text(run.lines)).toEqual(['started']);
    expect(await containersLabelled(client!, `${LABELS.taskRun}=${run.labels.taskRunId}`)).toEqual([]);
  });

  it('reports a timeout as such', async () => {
    const abort = new AbortController();
    const run = await prepare({
      script: 'echo started\nsleep 60',
      signal: abort.signal,
      onLine: () => abort.abort(new DOMException('task timed out', 'TimeoutError')),
    });
    expect((await run.result).killedBy).toBe('timeout');
    expect(await containersLabelled(client!, `${LABELS.taskRun}=${run.labels.taskRunId}`)).toEqual([]);
  });

  it('reports an out-of-memory kill with exit 137', async () => {
    const run = await runScript({
      options: { memory: { memory: '32MB' } },
      script: 'python3 -c "data = bytearray(200 * 1024 * 1024); print(len(data))"',
    });
    expect(run.result).toEqual<RunnerResult>({ exitCode: 137, killedBy: 'oom' });
  });

  it('shares a pip cache volume between runs of one namespace, and only of that namespace', async () => {
    const marker = `marker-${process.pid}-${Date.now()}`;
    const first = await runScript({ namespace: 'test.cache.a', script: `echo cached > "$PIP_CACHE_DIR/${marker}"` });
    expect(first.result).toEqual({ exitCode: 0 });
    const other = await runScript({ namespace: 'test.cache.b', script: `cat "$PIP_CACHE_DIR/${marker}" 2>/dev/null || echo absent` });
    expect(text(other.lines)).toEqual(['absent']);
    const second = await runScript({ namespace: 'test.cache.a', script: `cat "$PIP_CACHE_DIR/${marker}"; rm "$PIP_CACHE_DIR/${marker}"` });
    expect(text(second.lines)).toEqual(['cached']);
  });

  it('runs with no-new-privileges, only the capabilities apt-get needs, a pids and a memory limit; apt-get and pip still install', async () => {
    const started: { details?: Record<string, string>; inspected?: Promise<unknown> } = {};
    const prepared = await prepare({
      files: { 'install.sh': APT_AND_PIP },
      settings: { limits: { killGraceMs: GRACE_MS, containerPidsLimit: 321, containerMemoryBytes: 700 * 1024 ** 2 } },
      script: 'grep -E "^(NoNewPrivs|CapEff):" /proc/self/status; sh install.sh',
      onLine: () => {
        // Looked at while it runs: the container is removed once it ends.
        const id = started.details?.containerId;
        if (id) started.inspected ??= client!.getContainer(id).inspect().then((info) => info.HostConfig);
      },
    });
    started.details = prepared.details;
    const run = { ...prepared, result: await prepared.result };
    const hostConfig = await started.inspected;
    expect(run.result).toEqual({ exitCode: 0 });
    // CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID: bits 0, 1, 3, 4, 5, 6, 7.
    expect(text(run.lines)).toEqual(['CapEff:\t00000000000000fb', 'NoNewPrivs:\t1', 'deb installed', 'wheel 42']);
    expect(hostConfig).toMatchObject({ PidsLimit: 321, Memory: 700 * 1024 ** 2, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true'] });
  });

  it('cuts a line over the line limit in a container too', async () => {
    const run = await runScript({
      settings: { limits: { killGraceMs: GRACE_MS, logLineMaxBytes: 4096 } },
      script: "head -c 5000000 /dev/zero | tr '\\0' x; echo; echo after",
    });
    expect(run.result).toEqual({ exitCode: 0 });
    expect(text(run.lines).map((l) => l.slice(-40))).toEqual(['xxxxx … [line cut: 4,995,904 more bytes]', 'after']);
  });

  it('ends a container that ignores SIGTERM within the grace period + 5 s, and removes it', async () => {
    const abort = new AbortController();
    let cancelledAt = 0;
    const run = await prepare({
      script: "trap '' TERM\necho started\nwhile :; do sleep 1; done",
      signal: abort.signal,
      onLine: () => {
        cancelledAt = Date.now();
        abort.abort();
      },
    });
    expect((await run.result).killedBy).toBe('cancel');
    expect(Date.now() - cancelledAt).toBeLessThan(ENDS_WITHIN_MS);
    expect(await containersLabelled(client!, `${LABELS.taskRun}=${run.labels.taskRunId}`)).toEqual([]);
  });

  it('answers whether an engine is reachable, with its version', async () => {
    const status = await dockerAvailable();
    expect(status.ok && status.version).toMatch(/^\d+\.\d+/);
  });

  it('runs as the configured user, who can write the copied-in working dir', async () => {
    const run = await runScript({ options: { user: '1000:1000' }, files: { 'in/data.txt': 'given\n' }, script: 'set -e\nid -u\ncat in/data.txt\necho mine > mine.txt\nmkdir -p out && echo made > out/made.txt' });
    expect(run.result).toEqual({ exitCode: 0 });
    // Another user than this process: the files go through the copies, owned by that user inside.
    expect(run.details.workingDir).toBe('copied in and out');
    expect(await fs.readFile(path.join(run.workingDir, 'out/made.txt'), 'utf8')).toBe('made\n');
    expect(text(run.lines)).toEqual(['1000', 'given']);
    expect(await fs.readFile(path.join(run.workingDir, 'mine.txt'), 'utf8')).toBe('mine\n');
  });

  it('applies shmSize, cpu and the entry point', async () => {
    const run = await runScript({
      options: { shmSize: '128MB', cpu: { cpus: 0.5 } },
      script: 'python3 -c "import os; s = os.statvfs(\'/dev/shm\'); print(s.f_blocks * s.f_frsize // (1024 * 1024))"; cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
    });
    expect(run.result).toEqual({ exitCode: 0 });
    expect(text(run.lines)[0]).toBe('128');
    expect(text(run.lines)[1]).toMatch(/^50000( 100000)?$/);

    const withEntryPoint = await runScript({ options: { entryPoint: ['/bin/echo', 'via-entrypoint'] }, script: 'ignored' });
    expect(text(withEntryPoint.lines)).toEqual(['via-entrypoint /bin/sh -c ignored']);
  });

  it('fails clearly when the image is missing and pullPolicy is NEVER', async () => {
    const run = await prepare({ image: 'flowbook/not-built:1', options: { pullPolicy: 'NEVER' }, script: 'true' });
    await expect(run.result).rejects.toThrow('image flowbook/not-built:1 is not available locally and could not be pulled: pullPolicy is NEVER');
  });

  it('fails clearly when a missing image cannot be pulled', async () => {
    const run = await prepare({ image: 'localhost:1/flowbook/not-built:1', script: 'true' });
    await expect(run.result).rejects.toThrow(/^image localhost:1\/flowbook\/not-built:1 is not available locally and could not be pulled: .+/);
  });

  it('uses the local image with a warning when pullPolicy ALWAYS cannot reach a registry', async () => {
    const run = await runScript({ image: 'python:slim', options: { pullPolicy: 'ALWAYS' }, script: 'echo ran' });
    expect(run.result).toEqual({ exitCode: 0 });
    expect(text(run.lines)).toEqual(['ran']);
    expect(run.logs.find((l) => l.level === 'WARN')?.message).toMatch(/^Could not pull image python:slim \(.+\): using the local copy$/);
  });

  it('fails clearly when no engine answers', async () => {
    const run = await prepare({ options: { host: 'unix:///nonexistent/docker.sock' }, script: 'true' });
    await expect(run.result).rejects.toThrow(/^Docker engine is not reachable at unix:\/\/\/nonexistent\/docker.sock: .*ENOENT/);
  });

  it('ignores volumes unless enabled in the settings, and mounts them when enabled', async () => {
    const hostDir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowbook-volume-'));
    await fs.writeFile(path.join(hostDir, 'shared.txt'), 'from host\n');
    try {
      const off = await runScript({ options: { volumes: [`${hostDir}:/shared`] }, script: 'cat /shared/shared.txt 2>/dev/null || echo absent' });
      expect(text(off.lines)).toEqual(['absent']);
      expect(off.logs.some((l) => l.level === 'WARN' && l.message.startsWith('volumes ignored'))).toBe(true);

      const on = await runScript({
        options: { volumes: [`${hostDir}:/shared`] },
        settings: { dockerVolumesEnabled: true },
        script: 'cat /shared/shared.txt',
      });
      expect(text(on.lines)).toEqual(['from host']);
    } finally {
      await fs.rm(hostDir, { recursive: true, force: true });
    }
  });

  it('removes leftover containers of a Flowbook process that is gone', async () => {
    const leftover = await client!.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '600'],
      Labels: { [LABELS.managed]: 'true', [LABELS.owner]: `${os.hostname()}:2147483646` },
      HostConfig: { NetworkMode: 'none' },
    });
    await leftover.start();
    expect(await cleanupLeftoverContainers()).toBeGreaterThanOrEqual(1);
    await expect(leftover.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
