/**
 * The static reference check, over the course flows (which must give no warning) and over one
 * flow per mistake. Kestra's side of each rule:
 * - the variables a task sees are built by RunVariables.java (core/src/main/java/io/kestra/core/
 *   runners/RunVariables.java): `taskrun.value` only when the task run has a value (set by
 *   ForEach/EachSequential/EachParallel through FlowableUtils.resolveEachTasks), `trigger` only
 *   when the execution has one, `parent` only when there are parents;
 * - outputs are what a task's `Output` class declares, e.g. Download.Output (uri, code, length,
 *   headers) in core/src/main/java/io/kestra/plugin/core/http/Download.java and ScriptOutput
 *   (vars, exitCode, outputFiles, taskRunner) in script/.../exec/scripts/models/ScriptOutput.java;
 * - Kestra renders with strict variables, so reading a variable that is not there fails the task,
 *   unless the expression uses `??`, `default` or `is defined`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, type FlowIssue, type ParsedFlow } from './index';
import { checkReferences, type ReferenceEnvironment } from './references';
import { parseFlow } from '../tasks/catalog';
import { getTaskDefinition } from '../tasks/registry';
import { SAMPLE_FLOWS_DIR, sampleFlowFiles } from '../../test/support/sample-flows';

const REPO = path.resolve(import.meta.dirname, '../..');

function referenceWarnings(text: string, environment: ReferenceEnvironment = {}): FlowIssue[] {
  const parsed: ParsedFlow = parseFlow(text);
  expect(parsed.flow, JSON.stringify(parsed.issues)).toBeDefined();
  const root = parsed.doc.toJS() as Record<string, unknown>;
  return checkReferences(parsed, root, parsed.flow!, { outputsOf: (type) => getTaskDefinition(type)?.outputs, ...environment });
}

function lines(issues: FlowIssue[]): string[] {
  return issues.map((i) => formatIssue(i));
}

const log = (id: string, message: string, indent = '  ') =>
  `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.log.Log\n${indent}  message: "${message}"\n`;

describe('the course flows', () => {
  const files = [
    ...sampleFlowFiles().map((f) => path.join(SAMPLE_FLOWS_DIR, f)),
    ...fs.readdirSync(path.join(REPO, 'lib/flow/fixtures')).map((f) => path.join(REPO, 'lib/flow/fixtures', f)),
  ];

  it.each(files.map((f) => [path.relative(REPO, f), f]))('%s has no reference warning', (_name, file) => {
    expect(lines(referenceWarnings(fs.readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('and parsing one gives no warning at all', () => {
    for (const file of files) expect(parseFlow(fs.readFileSync(file, 'utf8')).issues, file).toEqual([]);
  });
});

describe('outputs.<id>.<name>', () => {
  it('warns about a task that runs later, at the reference, with the reading task', () => {
    const text = `id: f\nnamespace: t\ntasks:\n${log('early', 'rows: {{ outputs.late.value }}')}  - id: late\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n`;
    const [warning, ...rest] = referenceWarnings(text);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ severity: 'warning', taskId: 'early', path: ['tasks', 0, 'message'], pos: { line: 6, column: 24 } });
    expect(formatIssue(warning)).toBe('flow.yaml:6:24: warning: tasks[0].message: `outputs.late.value`: task `late` (line 7) runs after `early`, so its outputs are not there yet');
  });

  it('warns about a task reading its own outputs', () => {
    const text = `id: f\nnamespace: t\ntasks:\n${log('me', '{{ outputs.me }}')}`.replace('{{ outputs.me }}', '{{ outputs.me.x }}');
    expect(lines(referenceWarnings(text))).toEqual(['flow.yaml:6:18: warning: tasks[0].message: `outputs.me.x`: task `me` reads its own outputs, which are not there while it runs']);
  });

  it('lets errors and finally read any task, and a LoopUntil condition its own children', () => {
    const text = `id: f
namespace: t
tasks:
  - id: first
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
${log('inner', 'ok', '      ')}    errors:
${log('on_error', '{{ outputs.last.value }}', '      ')}  - id: last
    type: io.kestra.plugin.core.debug.Return
    format: x
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.check.value == 'done' }}"
    tasks:
      - id: check
        type: io.kestra.plugin.core.debug.Return
        format: done
errors:
${log('alert', '{{ outputs.last.value }} {{ outputs.check.value }}')}finally:
${log('bye', '{{ outputs.last.value }}')}afterExecution:
${log('after', '{{ outputs.last.value }}')}`;
    expect(lines(referenceWarnings(text))).toEqual([]);
  });

  it('does not judge the order of a Dag, which runs its tasks by dependsOn', () => {
    const text = `id: f
namespace: t
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: report
          type: io.kestra.plugin.core.log.Log
          message: "{{ outputs.compute.value }}"
        dependsOn: [compute]
      - task:
          id: compute
          type: io.kestra.plugin.core.debug.Return
          format: x
`;
    expect(lines(referenceWarnings(text))).toEqual([]);
  });

  it('warns about a task that runs only in errors, read from the main tasks', () => {
    const text = `id: f\nnamespace: t\ntasks:\n${log('main', '{{ outputs.alert.value }}')}errors:\n  - id: alert\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n`;
    expect(lines(referenceWarnings(text))).toEqual(['flow.yaml:6:18: warning: tasks[0].message: `outputs.alert.value`: task `alert` runs only in `errors`/`finally`, after `main`']);
  });

  it('warns about an unknown task, with the closest id', () => {
    const text = `id: f\nnamespace: t\ntasks:\n  - id: extract\n    type: io.kestra.plugin.core.http.Download\n    uri: https://example.com/a.csv\n${log('use', '{{ outputs.extarct.uri }}')}`;
    expect(lines(referenceWarnings(text))).toEqual(['flow.yaml:9:18: warning: tasks[1].message: `outputs.extarct.uri`: there is no task `extarct` in this flow; did you mean `extract`?']);
  });

  it('warns about an output the task type does not produce, naming the ones it has', () => {
    const text = `id: f\nnamespace: t\ntasks:\n  - id: extract\n    type: io.kestra.plugin.core.http.Download\n    uri: https://example.com/a.csv\n${log('use', '{{ outputs.extract.url }} {{ outputs.extract.uri }}')}${log('quiet', '{{ outputs.use.anything }}')}`;
    expect(lines(referenceWarnings(text))).toEqual([
      'flow.yaml:9:18: warning: tasks[1].message: `outputs.extract.url`: io.kestra.plugin.core.http.Download has no output `url` (it has `uri`, `code`, `length`, `headers`); did you mean `uri`?',
      'flow.yaml:12:18: warning: tasks[2].message: `outputs.use.anything`: io.kestra.plugin.core.log.Log produces no outputs',
    ]);
  });

  it('accepts what lies below an output name: script vars, output files, Return value, query rows', () => {
    const text = `id: f
namespace: t
tasks:
  - id: script
    type: io.kestra.plugin.scripts.python.Script
    outputFiles: ["*.csv"]
    script: print(1)
  - id: value
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.script.vars.count }}"
  - id: query
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT 1 AS n
    fetchType: FETCH_ONE
    inputFiles:
      data.csv: "{{ outputs.script.outputFiles['data.csv'] }}"
${log('use', "{{ outputs.value.value | upper }} {{ outputs.query.row.n }} {{ outputs.script.exitCode }} {{ outputs['script'].vars['a b'] }} {{ outputs.unknown_plugin.whatever }}")}  - id: unknown_plugin
    type: com.example.Custom
`;
    const warnings = referenceWarnings(text);
    // Only the forward reference: a type without output names is not checked.
    expect(warnings.map((w) => w.message)).toEqual(['`outputs.unknown_plugin.whatever`: task `unknown_plugin` (line 20) runs after `use`, so its outputs are not there yet']);
  });

  it('does not check the outputs of a task inside a ForEach, kept per value', () => {
    const text = `id: f
namespace: t
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: per_value
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
${log('use', "{{ outputs.per_value['a'].value }} {{ outputs.per_value.b.value }}")}`;
    expect(lines(referenceWarnings(text))).toEqual([]);
  });
});

describe('inputs, variables, trigger, taskrun, parents', () => {
  it('warns about a missing input, with the closest one, and accepts nested input ids', () => {
    const text = `id: f\nnamespace: t\ninputs:\n  - id: year\n    type: INT\n  - id: db.host\n    type: STRING\ntasks:\n${log('use', '{{ inputs.yaer }} {{ inputs.year }} {{ inputs.db.host }}')}`;
    expect(lines(referenceWarnings(text))).toEqual(['flow.yaml:11:18: warning: tasks[0].message: `inputs.yaer`: the flow has no input `yaer`; did you mean `year`?']);
  });

  it('skips a reference that handles a missing value', () => {
    const text = `id: f\nnamespace: t\ntasks:\n${log('use', "{{ inputs.who ?? 'nobody' }} {{ trigger.date ?? execution.startDate }} {{ outputs.later.value | default('') }}")}  - id: later\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n`;
    expect(lines(referenceWarnings(text))).toEqual([]);
  });

  it('warns about a missing variable, once at the variable for what it reads itself', () => {
    const text = `id: f
namespace: t
variables:
  file: "{{ inputs.taxi }}.csv"
tasks:
${log('use', '{{ vars.fiel }} {{ render(vars.file) }}')}`;
    expect(lines(referenceWarnings(text))).toEqual([
      'flow.yaml:8:18: warning: tasks[0].message: `vars.fiel`: the flow has no variable `fiel`; did you mean `file`?',
      'flow.yaml:4:13: warning: variables.file: `inputs.taxi`: the flow has no input `taxi`',
    ]);
  });

  it('checks what render(vars.x) reads where it is rendered', () => {
    const text = `id: f
namespace: t
variables:
  data: "{{ outputs.extract.uri }}"
tasks:
${log('early', '{{ render(vars.data) }}')}  - id: extract
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/a.csv
${log('late', '{{ render(vars.data) }}')}`;
    expect(lines(referenceWarnings(text))).toEqual([
      'flow.yaml:8:25: warning: tasks[0].message: `vars.data`: `outputs.extract.uri` in `vars.data`, rendered here: task `extract` (line 9) runs after `early`, so its outputs are not there yet',
    ]);
  });

  it('warns about trigger.* in a flow without a trigger only', () => {
    const flow = (triggers: string) => `id: f\nnamespace: t\ntasks:\n${log('use', "{{ trigger.date | date('yyyy-MM') }}")}${triggers}`;
    expect(lines(referenceWarnings(flow('')))).toEqual([
      'flow.yaml:6:18: warning: tasks[0].message: `trigger.date`: the flow has no trigger, so `trigger` is not set when it runs (add `?? …` for runs without one)',
    ]);
    expect(referenceWarnings(flow('triggers:\n  - id: daily\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 9 * * *"\n'))).toEqual([]);
  });

  it('warns about taskrun.value outside a ForEach, and parent outside a flowable', () => {
    const text = `id: f
namespace: t
tasks:
${log('top', '{{ taskrun.value }} {{ taskrun.id }} {{ parent.taskrun.value }}')}  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a"]
    tasks:
      - id: branch
        type: io.kestra.plugin.core.flow.If
        condition: "{{ taskrun.value == 'a' }}"
        then:
${log('deep', '{{ taskrun.value }} {{ parents[0].taskrun.value }}', '          ')}`;
    expect(lines(referenceWarnings(text))).toEqual([
      'flow.yaml:6:18: warning: tasks[0].message: `taskrun.value`: task `top` is not inside a ForEach, so `taskrun.value` is not set',
      'flow.yaml:6:55: warning: tasks[0].message: `parent.taskrun.value`: task `top` is not inside a flowable task, so `parent` has nothing',
    ]);
  });
});

describe('secret() and kv()', () => {
  const text = `id: f
namespace: company.team
tasks:
  - id: remember
    type: io.kestra.plugin.core.kv.Set
    key: SET_HERE
    value: x
${log('use', "{{ secret('PG_PASSWORD') }} {{ secret('SET') }} {{ kv('BUCKET') }} {{ kv('SET_HERE') }} {{ kv('OTHER', 'other.ns') }} {{ kv('MAYBE', errorOnMissing=false) }}")}`;

  it('are checked only when the caller says what exists', () => {
    expect(referenceWarnings(text)).toEqual([]);
  });

  it('warns about a secret or KV pair that is not there, unless a kv.Set of the flow sets it', () => {
    const asked: string[] = [];
    const environment: ReferenceEnvironment = {
      hasSecret: (key) => key === 'SET',
      hasKv: (key, namespace, inherit) => {
        asked.push(`${namespace}/${key}/${inherit}`);
        return false;
      },
    };
    expect(referenceWarnings(text, environment).map((w) => w.message)).toEqual([
      "`secret('PG_PASSWORD')`: no secret `PG_PASSWORD` is set here",
      "`kv('BUCKET')`: no KV pair `BUCKET` in namespace `company.team`, and no kv.Set task of this flow sets it",
      "`kv('OTHER', 'other.ns')`: no KV pair `OTHER` in namespace `other.ns`, and no kv.Set task of this flow sets it",
    ]);
    expect(asked).toEqual(['company.team/BUCKET/true', 'other.ns/OTHER/false']);
  });
});

describe('parseFlow', () => {
  it('adds the warnings to the flow issues, after the structure issues, without changing the text', () => {
    const text = `id: f\nnamespace: t\ntasks:\n${log('use', '{{ inputs.nope }}')}`;
    const parsed = parseFlow(text);
    expect(parsed.text).toBe(text);
    expect(parsed.issues).toEqual([
      { severity: 'warning', path: ['tasks', 0, 'message'], pos: { line: 6, column: 18 }, taskId: 'use', message: '`inputs.nope`: the flow has no input `nope`' },
    ]);
  });

  it('passes the environment on, and keeps it for edits', () => {
    const text = `id: f\nnamespace: t\ntasks:\n${log('use', "{{ secret('NOPE') }}")}`;
    expect(parseFlow(text).issues).toEqual([]);
    const parsed = parseFlow(text, { hasSecret: () => false });
    expect(parsed.issues.map((i) => i.message)).toEqual(["`secret('NOPE')`: no secret `NOPE` is set here"]);
    expect(parsed.catalog.environment?.hasSecret?.('NOPE')).toBe(false);
  });
});
