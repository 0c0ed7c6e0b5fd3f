import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRunContext } from '../../engine/run-context';
import type { RawTask, RunnableTaskDefinition } from '../types';
import { definitions } from './index';
import { StderrTail, exitCodeMessage, mapScriptLines } from './error-tail';

const PROCESS = { type: 'io.kestra.plugin.core.runner.Process' };

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

function runnable(type: string): RunnableTaskDefinition {
  const def = definitions.find((d) => d.type === type);
  if (!def || def.kind !== 'runnable') throw new Error(`no runnable ${type}`);
  return def;
}

async function failure(task: RawTask, defaultRunner: 'process' | 'docker' = 'process') {
  const t = await createTestRunContext({ task, settings: { defaultRunner } });
  disposers.push(t.dispose);
  try {
    await runnable(task.type).run(t.ctx);
  } catch (err) {
    return { message: err instanceof Error ? err.message : String(err), logs: t.logs.map((l) => l.message) };
  }
  throw new Error('the task did not fail');
}

describe('script file positions', () => {
  const scripts = [{ fileName: '_flowbook_load.py', headerLines: 3 }];

  it('maps a traceback line of the written file to the line of the cell script', () => {
    expect(mapScriptLines('  File "/data/tmp/e1/wd/_flowbook_load.py", line 7, in <module>', scripts)).toBe('  File "script", line 4, in <module>');
    expect(mapScriptLines('  File "/app/_flowbook_load.py", line 12', scripts)).toBe('  File "script", line 9');
    // Another file, and a line inside Flowbook's prelude, stay as they are.
    expect(mapScriptLines('  File "/usr/lib/python3.11/json/__init__.py", line 293, in load', scripts)).toBe('  File "/usr/lib/python3.11/json/__init__.py", line 293, in load');
    expect(mapScriptLines('  File "/wd/_flowbook_load.py", line 2', scripts)).toBe('  File "/wd/_flowbook_load.py", line 2');
  });

  it('maps Node positions', () => {
    expect(mapScriptLines('    at Object.<anonymous> (/tmp/wd/_flowbook_t.js:3:9)', [{ fileName: '_flowbook_t.js', headerLines: 0 }])).toBe('    at Object.<anonymous> (script:3:9)');
  });
});

describe('stderr tail', () => {
  it('keeps a Python traceback from its first line, else the last lines', () => {
    const tail = new StderrTail();
    for (const l of ['warming up', 'Traceback (most recent call last):', '  File "script", line 2, in <module>', '    1 / 0', 'ZeroDivisionError: division by zero', '']) tail.push(l);
    expect(tail.summary()).toEqual(['Traceback (most recent call last):', '  File "script", line 2, in <module>', '    1 / 0', 'ZeroDivisionError: division by zero']);
    const plain = new StderrTail();
    for (let i = 1; i <= 30; i++) plain.push(`line ${i}`);
    expect(plain.summary()).toHaveLength(20);
    expect(plain.summary().at(-1)).toBe('line 30');
    expect(exitCodeMessage(2, [])).toBe('Command failed with exit code 2');
  });
});

describe('a failing script says why', () => {
  it('puts the Python exception, at the line of the cell script, in the task error', async () => {
    const { message, logs } = await failure({
      id: 'load',
      type: 'io.kestra.plugin.scripts.python.Script',
      taskRunner: PROCESS,
      script: 'import json\nrows = [1, 2]\nprint("rows", len(rows))\nvalue = rows[5]\n',
    });
    expect(message).toMatch(/^Command failed with exit code 1:\nTraceback \(most recent call last\):\n {2}File "script", line 4, in <module>\n/);
    expect(message).toContain('IndexError: list index out of range');
    // The log says the same, line for line.
    expect(logs).toContain('  File "script", line 4, in <module>');
  });

  it('shows the last stderr lines of a shell command', async () => {
    const { message } = await failure({ id: 'sh', type: 'io.kestra.plugin.scripts.shell.Commands', taskRunner: PROCESS, commands: ['echo working', 'echo "cat: data.csv: No such file or directory" >&2', 'exit 1'] });
    expect(message).toBe('Command failed with exit code 1:\ncat: data.csv: No such file or directory');
  });

  const dockerAnswers = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
  const ubuntuIsLocal = dockerAnswers && spawnSync('docker', ['image', 'inspect', 'ubuntu'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!dockerAnswers || ubuntuIsLocal || !fs.existsSync('/var/run/docker.sock'))('says how to use the Process runner when the default image is missing', async () => {
    const { message } = await failure({
      id: 'sh',
      type: 'io.kestra.plugin.scripts.shell.Commands',
      // NEVER stands in for "no registry answers": the default image is looked for locally only.
      taskRunner: { type: 'io.kestra.plugin.scripts.runner.docker.Docker', pullPolicy: 'NEVER' },
      commands: ['echo hi'],
    });
    expect(message).toContain('image ubuntu is not available locally');
    expect(message).toContain('taskRunner:\n    type: io.kestra.plugin.core.runner.Process');
    expect(message).toContain('FLOWBOOK_DEFAULT_RUNNER=process');
  });
});

describe('mapScriptLines on long lines', () => {
  it('takes no time on a long line, with or without the file name', () => {
    const scripts = [{ fileName: '_flowbook_t.py', headerLines: 3 }];
    const long = 'x'.repeat(1024 * 1024);
    const started = Date.now();
    expect(mapScriptLines(long, scripts)).toBe(long);
    expect(mapScriptLines(`${long} _flowbook_t.py:9`, scripts)).toBe(`${long} _flowbook_t.py:9`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
