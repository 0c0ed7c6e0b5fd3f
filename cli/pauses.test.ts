/**
 * `flowbook run` at a Pause task (core/src/main/java/io/kestra/plugin/core/flow/Pause.java):
 * nobody can press Resume in a terminal, so `--on-pause` says what happens. `wait` follows
 * Kestra's own end of a pause (pauseDuration with its behavior, ExecutorService.handlePausedDelay),
 * `resume` resumes with `--resume-input` values checked against `onResume` (as
 * ExecutionService.validateForResume checks them), `fail` fails the Pause.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonRun, runCli } from '../test/support/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-cli-pause-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function flowFile(name: string, yaml: string): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

const APPROVAL = flowFile('approval', `id: approval
namespace: cli.pause
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: reason
        type: STRING
  - id: said
    type: io.kestra.plugin.core.log.Log
    message: "approved because {{ outputs.wait.onResume.reason }}"
errors:
  - id: on_error
    type: io.kestra.plugin.core.log.Log
    message: "the approval failed"
`);

const env = () => ({ FLOWBOOK_DATA_DIR: path.join(dir, 'data'), FLOWBOOK_DEFAULT_RUNNER: 'process' });

describe('flowbook run --on-pause', () => {
  it('resume: resumes at once with the --resume-input values as onResume inputs', async () => {
    const r = await runCli(['run', APPROVAL, '--on-pause', 'resume', '--resume-input', 'reason=tests pass', '--json'], env());
    expect(r.stderr).toContain('approved because tests pass');
    expect(r.stderr).toContain('is PAUSED at task wait: resumed (--on-pause resume)');
    expect(r.code).toBe(0);
    expect(parseJsonRun(r).taskRuns.find((t) => t.taskId === 'wait')?.outputs).toMatchObject({ onResume: { reason: 'tests pass' }, resumed: { to: 'SUCCESS' } });
  });

  it('resume without a required onResume input: says which, fails the Pause and exits 1', async () => {
    const r = await runCli(['run', APPROVAL, '--on-pause', 'resume'], env());
    expect(r.stderr).toContain('cannot resume it: input "reason": required STRING input has no value and no default (give it with --resume-input k=v)');
    expect(r.stderr).toContain('the approval failed');
    expect(r.stderr).toContain('FAILED: execution');
    expect(r.code).toBe(1);
  });

  it('fail: the Pause fails at once, the flow\'s errors run, exit 1', async () => {
    const r = await runCli(['run', APPROVAL, '--on-pause', 'fail'], env());
    expect(r.stderr).toContain('nobody can resume it here: flowbook run --on-pause fail fails it');
    expect(r.stderr).toContain('the approval failed');
    expect(r.code).toBe(1);
  });

  it('wait (default): a Pause with a pauseDuration goes on after it, by its behavior', async () => {
    const timed = flowFile('timed', `id: timed
namespace: cli.pause
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.5S
    behavior: WARN
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "after the pause"
`);
    const r = await runCli(['run', timed], env());
    expect(r.stderr).toContain('nobody can resume it here, so it waits for its pauseDuration or timeout');
    expect(r.stderr).toContain('after the pause');
    expect(r.stderr).toContain('WARNING: execution');
    expect(r.code).toBe(0);
  });

  it('refuses an unknown --on-pause, and --resume-input without --on-pause resume (exit 2)', async () => {
    const bad = await runCli(['run', APPROVAL, '--on-pause', 'skip'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--on-pause expects wait, resume, fail, got "skip"');
    const stray = await runCli(['run', APPROVAL, '--resume-input', 'reason=x'], env());
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--resume-input is for --on-pause resume');
  });
});
