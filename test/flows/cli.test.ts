import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, parseJsonRun, outputsOf, REPO } from '../support/cli';
import { sampleFlowFiles } from '../support/sample-flows';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('flowbook validate', () => {
  it('accepts every sample flow', async () => {
    const files = sampleFlowFiles().map((f) => path.join('flows', f));
    const r = await runCli(['validate', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
  });

  it('prints every error with line and column, and exits 1', async () => {
    const file = write(
      'bad.yaml',
      `id: bad flow
namespace: test
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: twice
  - id: loud
    type: io.kestra.plugin.core.log.Log
    message: hi
    level: LOUD
triggers:
  - id: s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "61 * * * *"
`,
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(r.stderr).toMatch(/bad\.yaml:1:\d+: .*id/);
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+: .*duplicate/i);
    expect(r.stderr).toMatch(/bad\.yaml:13:\d+: .*level.*expected one of "TRACE"\|"DEBUG"\|"INFO"\|"WARN"\|"ERROR"/);
    expect(r.stderr).toMatch(/bad\.yaml:17:\d+: .*cron/i);
    // Printed in the order of the file.
    const lineNumbers = lines.map((l) => Number(/bad\.yaml:(\d+):/.exec(l)?.[1]));
    expect(lineNumbers).toEqual([...lineNumbers].sort((a, b) => a - b));
  });

  it('reports an unknown task property as an error at its key, with the closest property', async () => {
    const file = write(
      'typo.yaml',
      `id: typo
namespace: test
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
    levle: WARN
`,
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`${file}:7:5: tasks[0].levle: unknown property \`levle\`: io.kestra.plugin.core.log.Log has no such property, and Kestra rejects the flow; did you mean \`level\`?`);
    expect(r.stdout).toBe('');
  });

  it('prints each template reference the flow cannot satisfy as a warning, exits 0, and 1 with --strict', async () => {
    const file = write(
      'refs.yaml',
      `id: refs
namespace: test
inputs:
  - id: year
    type: INT
    defaults: 2024
tasks:
  - id: early
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.extract.uri }} {{ inputs.yaer }}"
  - id: extract
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/data.csv
  - id: report
    type: io.kestra.plugin.core.log.Log
    message:
      - "{{ outputs.extarct.uri }} {{ outputs.extract.url }}"
      - "{{ trigger.date }} {{ taskrun.value }}"
`,
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}: valid flow test.refs (3 tasks, 6 warnings)\n`);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${file}:10:18: warning: tasks[0].message: \`outputs.extract.uri\`: task \`extract\` (line 11) runs after \`early\`, so its outputs are not there yet`,
      `${file}:10:44: warning: tasks[0].message: \`inputs.yaer\`: the flow has no input \`yaer\`; did you mean \`year\`?`,
      `${file}:17:13: warning: tasks[2].message[0]: \`outputs.extarct.uri\`: there is no task \`extarct\` in this flow; did you mean \`extract\`?`,
      `${file}:17:39: warning: tasks[2].message[0]: \`outputs.extract.url\`: io.kestra.plugin.core.http.Download has no output \`url\` (it has \`uri\`, \`code\`, \`length\`, \`headers\`); did you mean \`uri\`?`,
      `${file}:18:13: warning: tasks[2].message[1]: \`trigger.date\`: the flow has no trigger, so \`trigger\` is not set when it runs (add \`?? …\` for runs without one)`,
      `${file}:18:32: warning: tasks[2].message[1]: \`taskrun.value\`: task \`report\` is not inside a ForEach, so \`taskrun.value\` is not set`,
    ]);

    const strict = await runCli(['validate', '--strict', file]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).not.toContain('warning:');
    expect(strict.stderr.trim().split('\n')).toHaveLength(6);
  });

  it('checks secret() against the SECRET_ variables the run would read', async () => {
    const file = write('secret.yaml', `id: secret\nnamespace: test\ntasks:\n  - id: s\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ secret('API_TOKEN') }}"\n`);
    const missing = await runCli(['validate', file], { SECRET_API_TOKEN: '' });
    expect(missing.stderr).toBe('');
    const unset = await runCli(['validate', file], { FLOWBOOK_DATA_DIR: path.join(dir, 'data') });
    expect(unset.stderr).toContain(`${file}:6:18: warning: tasks[0].message: \`secret('API_TOKEN')\`: no secret \`API_TOKEN\` is set here`);
    expect(unset.code).toBe(0);
  });

  it('reports a document nested 10,000 levels deep as an error of that file and goes on with the others', async () => {
    const deep = write('deep.yaml', `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    const r = await runCli(['validate', deep, path.join(REPO, 'flows/01_hello_world.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deep\.yaml:1:\d+: .*nests too deeply/);
    expect(r.stdout).toContain('01_hello_world.yaml: valid flow');
  });

  it('points at the line and column of malformed YAML', async () => {
    const file = write('broken.yaml', 'id: x\nnamespace: test\ntasks:\n  - id: a\n    type: [unclosed\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
  });
});

describe('flowbook export', () => {
  it('gives back an untouched file byte for byte, comments included', async () => {
    for (const f of sampleFlowFiles()) {
      const r = await runCli(['export', path.join('flows', f)]);
      expect(r.code, f).toBe(0);
      expect(r.stdout, f).toBe(fs.readFileSync(path.join(REPO, 'flows', f), 'utf8'));
    }
  });
});

describe('flowbook run', () => {
  it('prints JSON with task runs and exits 1 on a failed execution', async () => {
    const file = write(
      'fails.yaml',
      `id: fails
namespace: test
tasks:
  - id: ok
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.who ?? 'nobody' }}"
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: broken on purpose
`,
    );
    const r = await runCli(['run', file, '--json', '--storage', path.join(dir, 'data')]);
    expect(r.code).toBe(1);
    const run = parseJsonRun(r);
    expect(run.state).toBe('FAILED');
    expect(outputsOf(run, 'ok')).toEqual({ value: 'nobody' });
    expect(r.stderr).toMatch(/ERROR.*\[boom\].*broken on purpose/);
  });

  it('answers an unknown option with the usage and exit code 2, not a stack trace', async () => {
    const r = await runCli(['run', path.join(REPO, 'flows/01_hello_world.yaml'), '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("flowbook: Unknown option '--bogus'");
    expect(r.stderr).toContain('Usage:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad input value naming the input', async () => {
    const file = write(
      'typed.yaml',
      `id: typed
namespace: test
inputs:
  - id: count
    type: INT
tasks:
  - id: echo
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.count }}"
`,
    );
    const r = await runCli(['run', file, '--input', 'count=many', '--storage', path.join(dir, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/count/);
  });
});
