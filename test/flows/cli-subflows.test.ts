/**
 * `flowbook run` and `validate` find the flows a Subflow starts among the flow files beside the
 * flow and under `--flows DIR` (Kestra: core/src/main/java/io/kestra/plugin/core/flow/Subflow.java,
 * ExecutableUtils.subflowExecution's "Unable to find flow").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, parseJsonRun, runCli } from '../support/cli';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-cli-subflows-'));
  fs.mkdirSync(path.join(dir, 'parent'));
  fs.mkdirSync(path.join(dir, 'library', 'team'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'library', 'team', 'child.yml'),
    `id: child
namespace: company.team
inputs:
  - id: name
    type: STRING
tasks:
  - id: shout
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.name | upper }}"
outputs:
  - id: loud
    type: STRING
    value: "{{ outputs.shout.value }}"
`,
  );
  fs.writeFileSync(
    path.join(dir, 'parent', 'sibling.yaml'),
    `id: sibling
namespace: company.team
tasks:
  - id: hi
    type: io.kestra.plugin.core.log.Log
    message: sibling ran from {{ trigger.flowId }}
`,
  );
  fs.writeFileSync(
    path.join(dir, 'parent', 'parent.yaml'),
    `id: parent
namespace: company.team
tasks:
  - id: call_child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
    inputs:
      name: ada
  - id: call_sibling
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: sibling
`,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const parent = () => path.join(dir, 'parent', 'parent.yaml');

describe('flowbook run with subflows', () => {
  it('runs a child found under --flows and one beside the flow, each as its own execution', async () => {
    const r = await runCli(['run', parent(), '--flows', path.join(dir, 'library'), '--json', '--storage', path.join(dir, 'data')]);
    const run = parseJsonRun(r);
    expect(run.state).toBe('SUCCESS');
    const child = outputsOf(run, 'call_child');
    expect(child).toMatchObject({ state: 'SUCCESS', outputs: { loud: 'ADA' } });
    expect(child.executionId).not.toBe(run.id);
    expect(outputsOf(run, 'call_sibling')).toMatchObject({ state: 'SUCCESS' });
    // The child's log lines stream with the parent's.
    expect(r.stderr).toContain('sibling ran from parent');
  });

  it('without --flows, warns at the flowId before the run and fails the task with where it looked', async () => {
    const r = await runCli(['run', parent(), '--json', '--storage', path.join(dir, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/parent\.yaml:7:\d+: warning: tasks\[0\]\.flowId: task call_child: no flow company\.team\.child in the flow files in .*parent \(add --flows DIR\)/);
    const run = parseJsonRun(r);
    expect(run.taskRuns.find((t) => t.taskId === 'call_child')?.state).toBe('FAILED');
    expect(r.stderr).toContain("Unable to find flow 'company.team'.'child': no flow with this namespace and id in the flow files in");
  });

  it('validate resolves children with --flows; a missing one is a warning, an error with --strict', async () => {
    const found = await runCli(['validate', '--flows', path.join(dir, 'library'), parent()]);
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);

    const missing = await runCli(['validate', parent()]);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain('task call_child: no flow company.team.child');
    expect(missing.stdout).toContain('valid flow company.team.parent (2 tasks, 1 warning)');

    const strict = await runCli(['validate', '--strict', parent()]);
    expect(strict.code).toBe(1);

    const noDir = await runCli(['validate', '--flows', path.join(dir, 'nope'), parent()]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('--flows');
  });
});
