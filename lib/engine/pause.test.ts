/**
 * Pause and Resume as Kestra 1.x runs them:
 * - core/src/main/java/io/kestra/plugin/core/flow/Pause.java (properties, Behavior, Output
 *   `onResume` and `resumed`),
 * - core/.../core/services/ExecutionService.java (`resume`, `markAs`: the Pause task run ends
 *   straight from PAUSED, the execution goes PAUSED → RESTARTED, or CANCELLED for CANCEL),
 * - core/.../core/runners/ExecutorService.java `handlePausedDelay` (pauseDuration with the
 *   behavior's state; without it, `timeout` with FAILED),
 * - core/src/main/java/io/kestra/plugin/core/execution/Resume.java and
 *   PluginUtilsService.executionFromTaskParameters (which execution the Resume task resumes).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../test/support/engine';
import { parseFlow } from '../tasks/catalog';
import type { TaskRun } from './events';

const t = createTestEngine();
afterAll(() => t.close());

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

const paused = (id: string) => () => t.engine.pausedTaskRun(id) !== undefined;

describe('Pause: pauseDuration and behavior (ExecutorService.handlePausedDelay)', () => {
  it('resumes by itself after pauseDuration: the Pause SUCCESS, the execution PAUSED → RESTARTED → RUNNING, the next task runs', async () => {
    const result = await t.run(`
id: pause_duration
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.2S
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "after the pause"
`);
    expect(result.state).toBe('SUCCESS');
    expect(statesOf(result)).toEqual({ pause: 'SUCCESS', after: 'SUCCESS' });
    expect(t.taskRunStates(result.id, 'pause')).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'SUCCESS']);
    expect(t.executionStates(result.id)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RESTARTED', 'RUNNING', 'SUCCESS']);
    const resumed = (result.outputs.pause as { resumed: { on: string; to: string } }).resumed;
    expect(resumed.to).toBe('SUCCESS');
    expect(resumed.on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+$/);
    expect(result.outputs.pause).not.toHaveProperty('onResume');
  });

  it('still reads the deprecated `delay` as pauseDuration (Pause.setDelay)', async () => {
    const result = await t.run(`
id: pause_delay
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    delay: PT0.1S
`);
    expect(result.state).toBe('SUCCESS');
    expect(t.taskRunStates(result.id, 'pause')).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'SUCCESS']);
  });

  it('behavior WARN: the Pause ends WARNING and the execution goes on', async () => {
    const result = await t.run(`
id: pause_warn
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.1S
    behavior: WARN
  - id: post_resume
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }}"
`);
    expect(result.state).toBe('WARNING');
    expect(statesOf(result)).toEqual({ pause: 'WARNING', post_resume: 'SUCCESS' });
    expect((result.outputs.pause as { resumed: { to: string } }).resumed.to).toBe('WARNING');
  });

  it('behavior FAIL: the Pause fails, the tasks after it do not run and the flow\'s errors do', async () => {
    const result = await t.run(`
id: pause_fail
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.1S
    behavior: FAIL
  - id: never
    type: io.kestra.plugin.core.debug.Return
    format: never
errors:
  - id: on_error
    type: io.kestra.plugin.core.log.Log
    message: "the pause failed"
`);
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ pause: 'FAILED', on_error: 'SUCCESS' });
    expect(result.taskRuns.find((tr) => tr.taskId === 'pause')?.error).toBe('task "pause": paused for its pauseDuration PT0.1S without being resumed');
  });

  it('behavior CANCEL: the execution is CANCELLED at once, nothing else runs', async () => {
    const result = await t.run(`
id: pause_cancel
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.1S
    behavior: CANCEL
  - id: never
    type: io.kestra.plugin.core.debug.Return
    format: never
finally:
  - id: not_after_cancel
    type: io.kestra.plugin.core.debug.Return
    format: never
`);
    expect(result.state).toBe('CANCELLED');
    expect(statesOf(result)).toEqual({ pause: 'CANCELLED' });
    expect(t.executionStates(result.id)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'CANCELLED']);
  });

  it('timeout without pauseDuration ends the Pause FAILED whatever the behavior (State.Type.fail(pauseTask))', async () => {
    const result = await t.run(`
id: pause_timeout
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    timeout: PT0.1S
    behavior: WARN
`);
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns[0].error).toBe('task "pause": paused for its timeout PT0.1S without being resumed');
  });

  it('a kill while paused ends the Pause and the execution KILLED', async () => {
    const { id, done } = t.engine.start({ flow: t.flow(`
id: pause_kill
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
`) });
    await until(paused(id));
    expect(t.engine.cancel(id)).toBe(true);
    const result = await done;
    expect(result.state).toBe('KILLED');
    expect(statesOf(result)).toEqual({ pause: 'KILLED' });
  });
});

const APPROVAL = `
id: vacation_approval_process
namespace: company.team
tasks:
  - id: wait_for_approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
        defaults: true
      - id: days
        type: INT
      - id: reason
        type: STRING
        defaults: Well-deserved vacation
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Status is {{ outputs.wait_for_approval.onResume.reason }} for {{ outputs.wait_for_approval.onResume.days }} days"
`;

describe('resume by request (ExecutionService.resume, validateForResume)', () => {
  it('moves the Pause on with its onResume inputs, typed and defaulted, as outputs.<id>.onResume', async () => {
    const { id, done } = t.engine.start({ flow: t.flow(APPROVAL) });
    await until(paused(id));
    t.engine.resume(id, { days: '3' });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.wait_for_approval.onResume).toEqual({ approved: true, days: 3, reason: 'Well-deserved vacation' });
    expect((result.outputs.wait_for_approval as { resumed: { to: string } }).resumed.to).toBe('SUCCESS');
    expect(t.logsOf(id).map((l) => l.message)).toContain('Status is Well-deserved vacation for 3 days');
    expect(t.taskRunStates(id, 'wait_for_approval')).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'SUCCESS']);
    expect(t.executionStates(id)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RESTARTED', 'RUNNING', 'SUCCESS']);
  });

  it('keeps a SECRET onResume value a secret: later tasks use it, logs and the sent task run show its mask', async () => {
    const secret = 'correct-horse-battery-staple';
    const { id, done } = t.engine.start({
      flow: t.flow(`
id: secret_on_resume
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: password
        type: SECRET
  - id: check
    type: io.kestra.plugin.core.log.Log
    message: "matches: {{ outputs.pause.onResume.password == '${secret}' }}, printed: {{ outputs.pause.onResume.password }}"
`),
    });
    await until(paused(id));
    t.engine.resume(id, { password: secret });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(t.logsOf(id).map((l) => l.message)).toContain('matches: true, printed: ******');
    const sent = JSON.stringify(t.events.filter((e) => JSON.stringify(e).includes(id)));
    expect(sent).not.toContain(secret);
    const pauseRun = t.events.flatMap((e) => (e.kind === 'taskrun' && e.taskRun.executionId === id && e.taskRun.taskId === 'pause' && e.taskRun.outputs ? [e.taskRun.outputs] : [])).at(-1);
    expect(pauseRun).toMatchObject({ onResume: { password: '******' } });
  });

  it('refuses a missing required input or a value of the wrong type, naming the input, and stays PAUSED', async () => {
    const { id, done } = t.engine.start({ flow: t.flow(APPROVAL) });
    await until(paused(id));
    expect(() => t.engine.resume(id, {})).toThrow('input "days": required INT input has no value and no default');
    expect(() => t.engine.resume(id, { days: 'three' })).toThrow('input "days": value: expected an integer, got "three"');
    expect(t.engine.pausedTaskRun(id)?.state).toBe('PAUSED');
    t.engine.resume(id, { days: 5, approved: 'false' });
    const result = await done;
    expect(result.outputs.wait_for_approval.onResume).toEqual({ approved: false, days: 5, reason: 'Well-deserved vacation' });
  });

  it('refuses to resume an execution that is not paused', async () => {
    const result = await t.run(`
id: no_pause
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`);
    expect(() => t.engine.resume(result.id)).toThrow(`execution ${result.id} is not running: only a PAUSED execution can be resumed`);
  });

  it('reports a bad onResume input at its line and column when the flow is read', () => {
    const parsed = parseFlow(`id: bad_on_resume
namespace: company.team
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEN
`);
    const issue = parsed.issues.find((i) => i.severity === 'error');
    expect(issue?.message).toContain('unknown input type "BOOLEN"');
    expect(issue?.pos).toMatchObject({ line: 8 });
  });
});

describe('the Resume task (Resume.java)', () => {
  it('resumes the current execution by default, with its inputs as the Pause\'s onResume values', async () => {
    const result = await t.run(`
id: resume_self
namespace: company.team
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: pause
        type: io.kestra.plugin.core.flow.Pause
        onResume:
          - id: answer
            type: INT
      - id: resume
        type: io.kestra.plugin.core.execution.Resume
        inputs:
          answer: "{{ 40 + 2 }}"
`);
    expect(result.state).toBe('SUCCESS');
    expect(statesOf(result)).toEqual({ both: 'SUCCESS', pause: 'SUCCESS', resume: 'SUCCESS' });
    expect(result.outputs.pause.onResume).toEqual({ answer: 42 });
  });

  it('resumes another execution given by executionId, and fails clearly when that one is not paused', async () => {
    const waiting = t.engine.start({ flow: t.flow(APPROVAL) });
    await until(paused(waiting.id));
    const resumer = `
id: approver
namespace: company.team
inputs:
  - id: target
    type: STRING
tasks:
  - id: approve
    type: io.kestra.plugin.core.execution.Resume
    executionId: "{{ inputs.target }}"
    inputs:
      days: 10
      reason: approved by the approver flow
`;
    const first = await t.run(resumer, { inputs: { target: waiting.id } });
    expect(first.state).toBe('SUCCESS');
    const resumed = await waiting.done;
    expect(resumed.outputs.wait_for_approval.onResume).toEqual({ approved: true, days: 10, reason: 'approved by the approver flow' });

    const again = await t.run(resumer, { inputs: { target: waiting.id } });
    expect(again.state).toBe('FAILED');
    expect(again.taskRuns[0].error).toBe(`execution ${waiting.id} is not running: only a PAUSED execution can be resumed`);
  });
});

describe('a paused execution continued after a restart (continueFrom)', () => {
  const FLOW = `
id: continued
namespace: company.team
tasks:
  - id: before
    type: io.kestra.plugin.core.debug.Return
    format: "computed {{ execution.id }}"
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: pause
        type: io.kestra.plugin.core.flow.Pause
        onResume:
          - id: note
            type: STRING
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.before.value }} / {{ outputs.pause.onResume.note }}"
`;

  /** Runs until the Pause, then stops that engine as a dying server would: the task runs are what the store kept. */
  async function pausedTaskRuns(): Promise<{ id: string; taskRuns: TaskRun[]; startDate: string }> {
    const first = createTestEngine();
    const { id, done } = first.engine.start({ flow: first.flow(FLOW) });
    await until(() => first.engine.pausedTaskRun(id) !== undefined);
    const latest = new Map<string, TaskRun>();
    for (const e of first.events) if (e.kind === 'taskrun') latest.set(e.taskRun.id, e.taskRun);
    const startDate = first.events.flatMap((e) => (e.kind === 'execution' ? [e.execution.startDate] : []))[0];
    first.engine.cancel(id);
    await done;
    await first.close();
    return { id, taskRuns: [...latest.values()], startDate };
  }

  it('is PAUSED again without running its ended tasks, and a resume goes on with their outputs', async () => {
    const stored = await pausedTaskRuns();
    const { done } = t.engine.start({ flow: t.flow(FLOW), executionId: stored.id, continueFrom: stored });
    await until(paused(stored.id));
    expect(t.engine.pausedTaskRun(stored.id)?.id).toBe(stored.taskRuns.find((tr) => tr.taskId === 'pause')?.id);
    t.engine.resume(stored.id, { note: 'after restart' });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(t.logsOf(stored.id).map((l) => l.message)).toContain(`computed ${stored.id} / after restart`);
    // `before` ran once, before the restart: no task run of it was announced again.
    expect(t.taskRunStates(stored.id, 'before')).toEqual([]);
    expect(t.executionStates(stored.id)).toEqual(['PAUSED', 'RESTARTED', 'RUNNING', 'SUCCESS']);
  });

  it('resumes at once when the pauseDuration passed while the server was down', async () => {
    const stored = await pausedTaskRuns();
    const withDuration = FLOW.replace('        onResume:', '        pauseDuration: PT1H\n        onResume:');
    const hourAgo = new Date(Date.now() - 3_600_001).toISOString();
    const taskRuns = stored.taskRuns.map((tr) => (tr.taskId === 'pause' ? { ...tr, details: { pausedAt: hourAgo } } : tr));
    const result = await t.engine.start({ flow: t.flow(withDuration), executionId: stored.id, continueFrom: { ...stored, taskRuns } }).done;
    expect(result.state).toBe('FAILED');
    // Resumed by its pauseDuration, the Pause has no onResume values: `after` cannot read them (as in Kestra).
    expect(statesOf(result)).toMatchObject({ pause: 'SUCCESS', after: 'FAILED' });
    expect((result.outputs.pause as { resumed: { to: string } }).resumed.to).toBe('SUCCESS');
  });
});
