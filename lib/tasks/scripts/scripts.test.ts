import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRunContext, type TestRunContextOptions } from '../../engine/run-context';
import { TaskError, type RawTask, type RunnableTaskDefinition } from '../types';
import { definitions } from './index';
import { isGone } from '../../../test/support/processes';

const PROCESS = { type: 'io.kestra.plugin.core.runner.Process' };

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

function sharedDataDir(): string {
  const dir = fs.mkdtempSync('/tmp/flowbook-scripts-');
  disposers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function runnable(type: string): RunnableTaskDefinition {
  const def = definitions.find((d) => d.type === type || d.aliases?.includes(type));
  if (!def || def.kind !== 'runnable') throw new Error(`no runnable ${type}`);
  return def;
}

async function context(task: RawTask, opts: Omit<TestRunContextOptions, 'task'> = {}) {
  const t = await createTestRunContext({ task, settings: { defaultRunner: 'process' }, ...opts });
  disposers.push(t.dispose);
  return t;
}

async function run(task: RawTask, opts: Omit<TestRunContextOptions, 'task'> = {}) {
  const t = await context(task, opts);
  const result = await runnable(task.type).run(t.ctx);
  return { ...t, result };
}

type ScriptOutputs = { vars: Record<string, unknown>; exitCode: number; outputFiles: Record<string, string> };

describe('shell Commands', () => {
  it('writes input files (inline and from storage), runs the commands and keeps output files', async () => {
    const dataDir = sharedDataDir();
    const t = await context({ id: 'sh', type: 'x' }, { dataDir });
    const stored = await t.storage.putText(t.storage.toUri('/test/test-flow/executions/e1/in.csv'), 'a,b\n1,2\n');
    const task: RawTask = {
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      taskRunner: PROCESS,
      inputFiles: { 'data/in.csv': stored, 'note.txt': 'hello {{ inputs.who }}\n' },
      env: { GREETING: 'hi {{ inputs.who }}' },
      commands: ['cat note.txt', 'echo "$GREETING"', 'wc -l < data/in.csv > out/count.txt || true', 'mkdir -p out && wc -l < data/in.csv > out/count.txt', 'cp data/in.csv result.csv'],
      outputFiles: ['out/*.txt', '*.csv'],
    };
    const t2 = await context(task, { dataDir, variables: { inputs: { who: 'Ada' } } });
    const result = await runnable(task.type).run(t2.ctx);
    const out = result.outputs as ScriptOutputs;
    expect(result.state).toBe('WARNING'); // the `|| true` line wrote to stderr
    expect(out.exitCode).toBe(0);
    expect(out.vars).toEqual({});
    expect(Object.keys(out.outputFiles).sort()).toEqual(['out/count.txt', 'result.csv']);
    expect(t2.storage.readTextSync(out.outputFiles['out/count.txt']).trim()).toBe('2');
    expect(t2.storage.readTextSync(out.outputFiles['result.csv'])).toBe('a,b\n1,2\n');
    const info = t2.logs.filter((l) => l.level === 'INFO').map((l) => l.message);
    expect(info).toEqual(['hello Ada', 'hi Ada']);
  });

  it('reads ::{json}:: outputs, metrics and logs', async () => {
    const { result, metrics, logs } = await run({
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      taskRunner: PROCESS,
      commands: [
        `echo '::{"outputs": {"rows": 12, "file": "a.csv"}}::'`,
        `echo '::{"metrics": [{"name": "rows", "type": "counter", "value": 12, "tags": {"taxi": "green"}}]}::'`,
        `echo '::{"logs": [{"level": "ERROR", "message": "from the script"}]}::'`,
      ],
    });
    expect(result.state).toBe('SUCCESS');
    expect((result.outputs as ScriptOutputs).vars).toEqual({ rows: 12, file: 'a.csv' });
    expect(metrics.map((m) => [m.name, m.type, m.value, m.tags])).toEqual([['rows', 'counter', 12, { taxi: 'green' }]]);
    expect(logs.map((l) => [l.level, l.message])).toContainEqual(['ERROR', 'from the script']);
  });

  it('turns WARNING on stderr output unless warningOnStdErr is false', async () => {
    const task = { id: 'sh', type: 'io.kestra.plugin.scripts.shell.Commands', taskRunner: PROCESS, commands: ['echo careful >&2'] };
    expect((await run(task)).result.state).toBe('WARNING');
    expect((await run({ ...task, warningOnStdErr: false })).result.state).toBe('SUCCESS');
  });

  it('fails with the exit code, and stops at the first failing command', async () => {
    const task = { id: 'sh', type: 'io.kestra.plugin.scripts.shell.Commands', taskRunner: PROCESS, commands: ['exit 3', 'echo never'] };
    await expect(run(task)).rejects.toThrow('Command failed with exit code 3');
    const t = await context({ ...task, commands: ['false', 'echo still here'], failFast: false });
    await runnable(task.type).run(t.ctx);
    expect(t.logs.map((l) => l.message)).toContain('still here');
  });

  it('refuses input file names that leave the working dir', async () => {
    for (const name of ['../escape.txt', '/etc/passwd', './x.txt', 'a/../../b']) {
      await expect(
        run({ id: 'sh', type: 'io.kestra.plugin.scripts.shell.Commands', taskRunner: PROCESS, inputFiles: { [name]: 'x' }, commands: ['true'] }),
      ).rejects.toThrow(/inputFiles: .* is not allowed/);
    }
  });

  it('accepts inputFiles as a JSON string and renders {{ workingDir }}', async () => {
    const { result } = await run({
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Script',
      taskRunner: PROCESS,
      inputFiles: '{"a.txt": "from json"}',
      script: 'test "$(cat {{ workingDir }}/a.txt)" = "from json" && test "$WORKING_DIR" = "{{ workingDir }}" && echo \'::{"outputs": {"ok": true}}::\'',
    });
    expect((result.outputs as ScriptOutputs).vars).toEqual({ ok: true });
  });

  it('uploads files written to {{ outputDir }}', async () => {
    const { result, storage } = await run({
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      taskRunner: PROCESS,
      commands: ['echo produced > {{ outputDir }}/report.txt'],
    });
    const files = (result.outputs as ScriptOutputs).outputFiles;
    expect(Object.keys(files)).toEqual(['report.txt']);
    expect(storage.readTextSync(files['report.txt'])).toBe('produced\n');
  });

  it('legacy Bash with a string interpreter still runs', async () => {
    const { result, logs } = await run({ id: 'b', type: 'io.kestra.core.tasks.scripts.Bash', interpreter: '/bin/bash', commands: ['echo "${BASH_VERSION:+bash}"'] });
    expect(result.state).toBe('SUCCESS');
    expect(logs.map((l) => l.message)).toContain('bash');
  });

  it('cancel ends the whole process tree of the script', async () => {
    const controller = new AbortController();
    const pidFile = `/tmp/flowbook-pids-${process.pid}-${Date.now()}`;
    disposers.push(async () => fs.rmSync(pidFile, { force: true }));
    const t = await context(
      {
        id: 'sh',
        type: 'io.kestra.plugin.scripts.shell.Commands',
        taskRunner: PROCESS,
        commands: [`sleep 1000 & echo $! >> ${pidFile}`, `sleep 1000 & echo $! >> ${pidFile}`, 'echo started', 'wait'],
      },
      { signal: controller.signal },
    );
    const running = runnable('io.kestra.plugin.scripts.shell.Commands').run(t.ctx);
    while (!t.logs.some((l) => l.message === 'started')) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(running).rejects.toThrow('the script was killed');
    const pids = fs.readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isGone(pid), `pid ${pid} survived`).toBe(true);
  });
});

describe('python', () => {
  it('Script: from kestra import Kestra works, and true/false/null render as Python', async () => {
    const { result, metrics, logs } = await run(
      {
        id: 'py',
        type: 'io.kestra.plugin.scripts.python.Script',
        taskRunner: PROCESS,
        outputFiles: ['*.json'],
        script: [
          'import json, os',
          'from kestra import Kestra',
          'columns = {{ inputs.columns }}',
          'flag = {{ inputs.flag }}',
          'with open("products.json", "w") as f:',
          '    json.dump({"columns": columns, "flag": flag}, f)',
          'Kestra.outputs({"n": len(columns), "unbuffered": os.environ.get("PYTHONUNBUFFERED")})',
          'Kestra.counter("columns", len(columns), {"kind": "test"})',
          'Kestra.logger().warning("watch out")',
        ].join('\n'),
      },
      { variables: { inputs: { columns: ['brand', 'price'], flag: true } } },
    );
    const out = result.outputs as ScriptOutputs;
    expect(out.vars).toEqual({ n: 2, unbuffered: 'true' });
    expect(Object.keys(out.outputFiles)).toEqual(['products.json']);
    expect(metrics.map((m) => [m.name, m.value, m.tags])).toEqual([['columns', 2, { kind: 'test' }]]);
    expect(logs.find((l) => l.message.endsWith('watch out'))?.level).toBe('WARN');
    // The logger's WARN frame went to stderr, as Kestra's does: the task is WARNING.
    expect(result.state).toBe('WARNING');
  });

  it('Commands: runs main.py from inputFiles, and Kestra.read reads a stored Ion file', async () => {
    const dataDir = sharedDataDir();
    const t = await context({ id: 'x', type: 'x' }, { dataDir });
    const ion = await t.storage.putText(
      t.storage.toUri('/test/test-flow/executions/e/rows.ion'),
      '{id:1,name:"a",price:12.50,at:2024-01-01T00:00:00.000Z,ok:true,none:null}\n{id:2,name:"b\\"q",price:1.5e0,at:2024-01-02T10:00:00Z,ok:false,none:null}\n',
    );
    const task: RawTask = {
      id: 'py',
      type: 'io.kestra.plugin.scripts.python.Commands',
      taskRunner: PROCESS,
      warningOnStdErr: false,
      inputFiles: {
        'rows.ion': ion,
        'main.py': [
          'from kestra import Kestra',
          'rows = Kestra.read("rows.ion")',
          'Kestra.outputs({"names": [r["name"] for r in rows], "total": sum(float(r["price"]) for r in rows), "year": rows[0]["at"].year, "ok": rows[0]["ok"], "none": rows[1]["none"]})',
        ].join('\n'),
      },
      commands: ['python main.py'],
    };
    const t2 = await context(task, { dataDir });
    const result = await runnable(task.type).run(t2.ctx).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${t2.logs.map((l) => l.message).join('\n')}`);
    });
    expect((result.outputs as ScriptOutputs).vars).toEqual({ names: ['a', 'b"q'], total: 14, year: 2024, ok: true, none: null });
  });

  it('dependencies: a clear error when no package index answers', async () => {
    const saved = { ...process.env };
    // Point pip at a port where nothing listens, and away from any local configuration.
    Object.assign(process.env, { PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: 'http://127.0.0.1:9/simple', PIP_FIND_LINKS: '', PIP_NO_INDEX: '' });
    delete process.env.PIP_FIND_LINKS;
    delete process.env.PIP_NO_INDEX;
    try {
      await expect(
        run({ id: 'py', type: 'io.kestra.plugin.scripts.python.Script', taskRunner: PROCESS, dependencies: ['flowbook-no-such-package==1.0'], script: 'print(1)' }),
      ).rejects.toThrow(/Could not install Python dependencies \(flowbook-no-such-package==1.0\): no Python package index answered/);
    } finally {
      process.env = saved;
    }
  }, 240_000);
});

describe('node', () => {
  it('Script: require("@kestra-io/libs") sends outputs', async () => {
    const { result } = await run({
      id: 'js',
      type: 'io.kestra.plugin.scripts.node.Script',
      taskRunner: PROCESS,
      script: "const Kestra = require('@kestra-io/libs');\nKestra.outputs({ sum: {{ 1 + 2 }}, text: 'a\\u2028b' });",
    });
    expect((result.outputs as ScriptOutputs).vars).toEqual({ sum: 3, text: 'a\u2028b' });
  });

  it('Commands: require("kestra") works from a file in inputFiles', async () => {
    const { result } = await run({
      id: 'js',
      type: 'io.kestra.plugin.scripts.node.Commands',
      taskRunner: PROCESS,
      inputFiles: { 'main.js': "require('kestra').outputs({ ok: true });" },
      commands: ['node main.js'],
    });
    expect((result.outputs as ScriptOutputs).vars).toEqual({ ok: true });
  });
});


describe('python dependencies', () => {
  it('installs them once into a cached virtualenv that later runs reuse', async () => {
    // A tiny wheel made here, served by pip's --find-links: no package index is needed.
    const wheels = sharedDataDir();
    const made = spawnSync('python3', ['-c', WHEEL_BUILDER, wheels], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const dataDir = sharedDataDir();
    const saved = { ...process.env };
    Object.assign(process.env, { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels });
    try {
      const task: RawTask = {
        id: 'py',
        type: 'io.kestra.plugin.scripts.python.Script',
        taskRunner: PROCESS,
        warningOnStdErr: false,
        dependencies: ['flowbook-demo==1.0'],
        script: 'import flowbook_demo, sys\nfrom kestra import Kestra\nKestra.outputs({"value": flowbook_demo.VALUE, "venv": sys.prefix != sys.base_prefix})',
      };
      const first = await run(task, { dataDir });
      expect((first.result.outputs as ScriptOutputs).vars).toEqual({ value: 42, venv: true });
      expect(first.logs.map((l) => l.message)).toContain('Installing Python dependencies into a cached virtualenv: flowbook-demo==1.0');
      const second = await run(task, { dataDir });
      expect((second.result.outputs as ScriptOutputs).vars).toEqual({ value: 42, venv: true });
      expect(second.logs.map((l) => l.message)).toContain('Using cached virtualenv for Python dependencies: flowbook-demo==1.0');
    } finally {
      process.env = saved;
    }
  }, 240_000);
});

const WHEEL_BUILDER = `
import sys, zipfile, os
out = os.path.join(sys.argv[1], "flowbook_demo-1.0-py3-none-any.whl")
files = {
    "flowbook_demo/__init__.py": "VALUE = 42\\n",
    "flowbook_demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: flowbook-demo\\nVersion: 1.0\\n",
    "flowbook_demo-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: flowbook-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
with zipfile.ZipFile(out, "w") as z:
    for name, text in files.items():
        z.writestr(name, text)
    z.writestr("flowbook_demo-1.0.dist-info/RECORD", "".join(n + ",,\\n" for n in files) + "flowbook_demo-1.0.dist-info/RECORD,,\\n")
`;

describe('script files', () => {
  it('a Python Script imports modules given as input files, and its own file is not an output', async () => {
    const { result } = await run({
      id: 'json',
      type: 'io.kestra.plugin.scripts.python.Script',
      taskRunner: PROCESS,
      inputFiles: { 'helper.py': 'ANSWER = 41 + 1\n' },
      outputFiles: ['*.py'],
      script: 'import json\nimport helper\nfrom kestra import Kestra\nKestra.outputs({"answer": helper.ANSWER, "dumps": json.dumps([1])})',
    });
    const out = result.outputs as ScriptOutputs;
    expect(out.vars).toEqual({ answer: 42, dumps: '[1]' });
    expect(Object.keys(out.outputFiles)).toEqual(['helper.py']);
  });

  it('a Node.js Script requires files given as input files', async () => {
    const { result } = await run({
      id: 'js',
      type: 'io.kestra.plugin.scripts.node.Script',
      taskRunner: PROCESS,
      inputFiles: { 'helper.js': 'module.exports = 42;' },
      script: "require('kestra').outputs({ answer: require('./helper') });",
    });
    expect((result.outputs as ScriptOutputs).vars).toEqual({ answer: 42 });
  });
});

describe('interpreter', () => {
  it('a custom interpreter gets the commands without a shell prelude', async () => {
    const { result } = await run({
      id: 'py',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      taskRunner: PROCESS,
      interpreter: ['python3', '-c'],
      commands: ['print("::{\\"outputs\\": {\\"via\\": \\"python\\"}}::")'],
    });
    expect((result.outputs as ScriptOutputs).vars).toEqual({ via: 'python' });
  });

  it('an interpreter that cannot start fails the task with the runner\'s message', async () => {
    const running = run({
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      taskRunner: PROCESS,
      interpreter: ['/no/such/interpreter', '-c'],
      commands: ['echo never'],
    });
    await expect(running).rejects.toThrow(/^could not start \/no\/such\/interpreter in .+: .*ENOENT/);
    await expect(running).rejects.toBeInstanceOf(TaskError);
  });
});
