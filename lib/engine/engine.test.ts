import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlow } from '../tasks/catalog';
import type { FlowSpec } from '../flow';
import { Engine } from './engine';
import { MissingUpstreamError } from './plan';
import type { EngineEvent, LogLine } from './events';

let dataDir: string;
let engine: Engine;
const events: EngineEvent[] = [];

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-engine-'));
  engine = new Engine({ dataDir, settings: { defaultRunner: 'process' } });
  engine.bus.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await engine.drain();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function flow(yaml: string): FlowSpec {
  const parsed = parseFlow(yaml);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || !parsed.flow) throw new Error(errors.map((e) => e.message).join('\n'));
  return parsed.flow;
}

function logsOf(executionId: string): LogLine[] {
  return events.flatMap((e) => (e.kind === 'log' && e.log.executionId === executionId ? [e.log] : []));
}

function statesOf(result: { taskRuns: { taskId: string; state: string }[] }): Record<string, string> {
  return Object.fromEntries(result.taskRuns.map((t) => [t.taskId, t.state]));
}

describe('Engine', () => {
  it('runs tasks in order with outputs, vars through render() and pluginDefaults', async () => {
    const f = flow(`
id: hello
namespace: test
inputs:
  - id: name
    type: STRING
    defaults: Will
variables:
  welcome: "Hello, {{ inputs.name }}!"
tasks:
  - id: hello_message
    type: io.kestra.plugin.core.log.Log
    message: "{{ render(vars.welcome) }}"
  - id: generate_output
    type: io.kestra.plugin.core.debug.Return
    format: I was generated
  - id: log_output
    type: io.kestra.plugin.core.log.Log
    message: "This is an output: {{ outputs.generate_output.value }}"
pluginDefaults:
  - type: io.kestra.plugin.core.log.Log
    values:
      level: ERROR
`);
    const { id, done } = engine.start({ flow: f, inputs: { name: 'Ada' } });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.generate_output).toEqual({ value: 'I was generated' });
    const lines = logsOf(id).filter((l) => l.taskId);
    expect(lines.map((l) => [l.taskId, l.level, l.message])).toEqual([
      ['hello_message', 'ERROR', 'Hello, Ada!'],
      ['log_output', 'ERROR', 'This is an output: I was generated'],
    ]);
  });

  it('runs If branches by Kestra truthiness and merges Labels into the execution', async () => {
    const f = flow(`
id: branches
namespace: test
inputs:
  - id: taxi
    type: SELECT
    values: [yellow, green]
    defaults: yellow
tasks:
  - id: set_label
    type: io.kestra.plugin.core.execution.Labels
    labels:
      taxi: "{{ inputs.taxi }}"
  - id: if_yellow
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.taxi == 'yellow' }}"
    then:
      - id: yellow_step
        type: io.kestra.plugin.core.debug.Return
        format: yellow
  - id: if_green
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.taxi == 'green' }}"
    then:
      - id: green_step
        type: io.kestra.plugin.core.debug.Return
        format: green
`);
    const result = await engine.start({ flow: f, inputs: { taxi: 'green' } }).done;
    expect(result.state).toBe('SUCCESS');
    expect(result.labels).toEqual({ taxi: 'green', 'system.correlationId': result.id });
    expect(statesOf(result)).toEqual({ set_label: 'SUCCESS', if_yellow: 'SUCCESS', if_green: 'SUCCESS', green_step: 'SUCCESS' });
    expect(result.outputs.if_yellow).toEqual({ evaluationResult: false });
  });

  it('stops at a failure, runs errors then finally, and keeps the failing log', async () => {
    const f = flow(`
id: failing
namespace: test
tasks:
  - id: first
    type: io.kestra.plugin.core.debug.Return
    format: ok
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "it broke at {{ outputs.first.value }}"
  - id: never
    type: io.kestra.plugin.core.debug.Return
    format: never
errors:
  - id: on_error
    type: io.kestra.plugin.core.log.Log
    message: handling
finally:
  - id: cleanup
    type: io.kestra.plugin.core.log.Log
    message: cleaning
`);
    const { id, done } = engine.start({ flow: f });
    const result = await done;
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ first: 'SUCCESS', boom: 'FAILED', on_error: 'SUCCESS', cleanup: 'SUCCESS' });
    expect(logsOf(id).some((l) => l.taskId === 'boom' && l.level === 'ERROR' && l.message.includes('it broke at ok'))).toBe(true);
  });

  it('turns a failure into WARNING with allowFailure and keeps going', async () => {
    const f = flow(`
id: allow
namespace: test
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: still here
`);
    const result = await engine.start({ flow: f }).done;
    expect(result.state).toBe('WARNING');
    expect(statesOf(result)).toEqual({ boom: 'WARNING', after: 'SUCCESS' });
  });

  it('retries a failing task up to maxAttempts', async () => {
    const f = flow(`
id: retrying
namespace: test
tasks:
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    retry:
      type: constant
      interval: PT0.05S
      maxAttempts: 3
`);
    const result = await engine.start({ flow: f }).done;
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns[0].attempt).toBe(3);
  });

  it('fails a task that exceeds its timeout', async () => {
    const f = flow(`
id: slow
namespace: test
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT30S
    timeout: PT0.2S
`);
    const result = await engine.start({ flow: f }).done;
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns[0].error).toContain('timed out');
  });

  it('kills a running execution on cancel', async () => {
    const f = flow(`
id: cancellable
namespace: test
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT30S
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: never
`);
    const started = engine.start({ flow: f });
    await new Promise((r) => setTimeout(r, 200));
    expect(engine.cancel(started.id)).toBe(true);
    const result = await started.done;
    expect(result.state).toBe('KILLED');
    expect(statesOf(result)).toEqual({ nap: 'KILLED' });
  });

  it('keeps unknown task types and fails them only when run', async () => {
    const f = flow(`
id: unknown
namespace: test
tasks:
  - id: bq
    type: io.kestra.plugin.gcp.bigquery.Query
    sql: SELECT 1
`);
    const result = await engine.start({ flow: f }).done;
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns[0].error).toBe('task type io.kestra.plugin.gcp.bigquery.Query is not supported locally');
  });

  it('skips disabled tasks', async () => {
    const f = flow(`
id: disabled
namespace: test
tasks:
  - id: off
    type: io.kestra.plugin.core.execution.Fail
    disabled: true
  - id: on
    type: io.kestra.plugin.core.debug.Return
    format: yes
`);
    const result = await engine.start({ flow: f }).done;
    expect(result.state).toBe('SUCCESS');
    expect(statesOf(result)).toEqual({ on: 'SUCCESS' });
  });

  it('runs one cell with earlier outputs, and names the cell to run first when they are missing', async () => {
    const f = flow(`
id: cells
namespace: test
tasks:
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: from a
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "b saw {{ outputs.a.value }}"
`);
    expect(() => engine.start({ flow: f, mode: { kind: 'cell', taskId: 'b' } })).toThrow(MissingUpstreamError);
    expect(() => engine.start({ flow: f, mode: { kind: 'cell', taskId: 'b' } })).toThrow('run cell a first');
    const result = await engine.start({ flow: f, mode: { kind: 'cell', taskId: 'b' }, seedOutputs: { a: { value: 'earlier a' } } }).done;
    expect(result.state).toBe('SUCCESS');
    expect(statesOf(result)).toEqual({ b: 'SUCCESS' });
    expect(result.outputs.b).toEqual({ value: 'b saw earlier a' });
    const upTo = await engine.start({ flow: f, mode: { kind: 'upTo', taskId: 'a' } }).done;
    expect(statesOf(upTo)).toEqual({ a: 'SUCCESS' });
  });

  it('runs ForEach children once per value with taskrun.value', async () => {
    const f = flow(`
id: loop
namespace: test
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    tasks:
      - id: echo
        type: io.kestra.plugin.core.debug.Return
        format: "got {{ taskrun.value }}"
`);
    const result = await engine.start({ flow: f }).done;
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.echo).toEqual({ a: { value: 'got a' }, b: { value: 'got b' }, c: { value: 'got c' } });
  });

  it('applies flow concurrency: FAIL refuses, QUEUE waits its turn', async () => {
    const failing = flow(`
id: limited
namespace: test
concurrency:
  limit: 1
  behavior: FAIL
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
`);
    const first = engine.start({ flow: failing });
    const second = await engine.start({ flow: failing }).done;
    expect(second.state).toBe('FAILED');
    expect(second.error).toBe('Flow is FAILED due to concurrency limit exceeded');
    expect((await first.done).state).toBe('SUCCESS');

    const queued = flow(`
id: queued
namespace: test
concurrency:
  limit: 1
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
`);
    const a = engine.start({ flow: queued });
    const b = engine.start({ flow: queued });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.state).toBe('SUCCESS');
    expect(rb.state).toBe('SUCCESS');
    const bStates = events.flatMap((e) => (e.kind === 'execution' && e.execution.id === b.id ? [e.execution.state] : []));
    expect(bStates).toContain('QUEUED');
    // b's task starts only after a's task has ended: compare positions on the bus, not clocks.
    const position = (executionId: string, state: string) =>
      events.findIndex((e) => e.kind === 'taskrun' && e.taskRun.executionId === executionId && e.taskRun.state === state);
    expect(position(b.id, 'RUNNING')).toBeGreaterThan(position(a.id, 'SUCCESS'));
  });

  it('masks secret values in logs and events', async () => {
    process.env.SECRET_DB_PASSWORD = Buffer.from('hunter2-very-secret').toString('base64');
    const f2 = flow(`
id: secrets2
namespace: test
tasks:
  - id: leak
    type: io.kestra.plugin.core.log.Log
    message: "pw={{ secret('db_password') }}"
`);
    const { id, done } = engine.start({ flow: f2 });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    const line = logsOf(id).find((l) => l.taskId === 'leak')!;
    expect(line.message).toBe('pw=******');
    expect(JSON.stringify(events)).not.toContain('hunter2-very-secret');
  });

  it('gives trigger.date from --trigger-date and fails without it, as Kestra does', async () => {
    const f = flow(`
id: scheduled
namespace: test
tasks:
  - id: month
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.date | date('yyyy-MM') }}"
triggers:
  - id: monthly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 1 * *"
`);
    const ok = await engine.start({ flow: f, triggerDate: '2019-03-01T09:00:00Z' }).done;
    expect(ok.outputs.month).toEqual({ value: '2019-03' });
    const manual = await engine.start({ flow: f }).done;
    expect(manual.state).toBe('FAILED');
    expect(manual.taskRuns[0].error).toContain('trigger');
  });
});

describe('run modes and data references through vars', () => {
  it('sees a dependency reached through render(vars.x) and names the cell to run first', async () => {
    const f = flow(`
id: through_vars
namespace: test
variables:
  data: "{{ outputs.extract.value }}"
tasks:
  - id: extract
    type: io.kestra.plugin.core.debug.Return
    format: rows.csv
  - id: load
    type: io.kestra.plugin.core.log.Log
    message: "loading {{ render(vars.data) }}"
`);
    expect(() => engine.start({ flow: f, mode: { kind: 'cell', taskId: 'load' } })).toThrow('run cell extract first');
    const from = await engine.start({ flow: f, mode: { kind: 'from', taskId: 'extract' } }).done;
    expect(statesOf(from)).toEqual({ extract: 'SUCCESS', load: 'SUCCESS' });
  });
});

describe('files and secrets through real scripts', () => {
  it('uploads a FILE input to storage and hands the task a kestra:/// URI', async () => {
    const local = path.join(dataDir, 'upload.csv');
    fs.writeFileSync(local, 'a,b\n1,2\n');
    const f = flow(`
id: with_file
namespace: test
inputs:
  - id: data
    type: FILE
tasks:
  - id: count
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      data.csv: "{{ inputs.data }}"
    commands:
      - wc -l < data.csv
`);
    const { id, done } = engine.start({ flow: f, inputs: { data: local } });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(result.inputs.data).toBe(`kestra:///test/with_file/executions/${id}/inputs/data/upload.csv`);
    expect(logsOf(id).some((l) => l.taskId === 'count' && l.message.trim() === '2')).toBe(true);
    expect(() => engine.start({ flow: f, inputs: { data: path.join(dataDir, 'missing.csv') } })).toThrow('input "data": no such file');
  });

  it('masks a secret a script prints plainly, base64- and URL-encoded', async () => {
    process.env.SECRET_API_TOKEN = Buffer.from('tok/en with spaces+42').toString('base64');
    const f = flow(`
id: leaky_script
namespace: test
tasks:
  - id: leak
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      TOKEN: "{{ secret('API_TOKEN') }}"
    commands:
      - echo "plain $TOKEN"
      - printf '%s' "$TOKEN" | base64
      - python3 -c "import os, urllib.parse; print('url', urllib.parse.quote(os.environ['TOKEN'], safe=''))"
      - echo "::{\\"outputs\\":{\\"token\\":\\"$TOKEN\\"}}::"
`);
    const { id, done } = engine.start({ flow: f });
    const result = await done;
    expect(result.state, JSON.stringify(logsOf(id))).toBe('SUCCESS');
    const messages = logsOf(id).filter((l) => l.taskId === 'leak').map((l) => l.message);
    expect(messages).toContain('plain ******');
    expect(messages).toContain('******');
    expect(messages).toContain('url ******');
    expect(result.outputs.leak).toMatchObject({ vars: { token: '******' } });
    const everything = JSON.stringify(events) + JSON.stringify(result);
    expect(everything).not.toContain('tok/en with spaces+42');
    expect(everything).not.toContain(Buffer.from('tok/en with spaces+42').toString('base64'));
    expect(everything).not.toContain(encodeURIComponent('tok/en with spaces+42'));
  });
});

describe('Parallel', () => {
  it('runs its tasks side by side and fails when one fails, after the others finish', async () => {
    const f = flow(`
id: side_by_side
namespace: test
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: slow
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.3S
      - id: broken
        type: io.kestra.plugin.core.execution.Fail
        errorMessage: one branch broke
`);
    const { id, done } = engine.start({ flow: f });
    const result = await done;
    expect(result.state).toBe('FAILED');
    expect(statesOf(result)).toEqual({ both: 'FAILED', slow: 'SUCCESS', broken: 'FAILED' });
    // Side by side: the failing branch ended while the sleeping one was still running.
    const position = (taskId: string, state: string) =>
      events.findIndex((e) => e.kind === 'taskrun' && e.taskRun.executionId === id && e.taskRun.taskId === taskId && e.taskRun.state === state);
    expect(position('broken', 'FAILED')).toBeLessThan(position('slow', 'SUCCESS'));
  });
});
