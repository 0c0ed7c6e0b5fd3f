import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { formatIssue } from './issues';
import { exportFlow, parseFlow as parseWith, validateFlow as validateWith } from './parse';
import { parseFlow } from '../tasks/catalog';
import { positionOf } from './positions';
import { taskSchema } from '../tasks/schema';
import type { TaskDefinition } from '../tasks/types';
import type { FlowIssue } from './types';
import { walkTasks } from './walk';

const flow04 = readFileSync(new URL('./fixtures/04_postgres_taxi.yaml', import.meta.url), 'utf8');

const errors = (issues: FlowIssue[]) => issues.filter((i) => i.severity === 'error');
const lines = (issues: FlowIssue[]) => errors(issues).map((i) => formatIssue(i));

/** A flow with the required parts, plus whatever the test adds. */
const base = (rest: string) => `id: demo\nnamespace: zoomcamp\n${rest}`;

describe('parseFlow on the course flow 04', () => {
  const parsed = parseFlow(flow04);

  it('reads it without errors', () => {
    expect(errors(parsed.issues)).toEqual([]);
    expect(exportFlow(parsed)).toBe(flow04);
  });

  it('exposes inputs, variables and plugin defaults', () => {
    const flow = parsed.flow!;
    expect(flow).toMatchObject({ id: '02_postgres_taxi', namespace: 'zoomcamp', revision: 1, disabled: false, labels: {}, triggers: [] });
    expect(flow.inputs.map((i) => [i.id, i.type, i.defaults, i.required])).toEqual([
      ['taxi', 'SELECT', 'yellow', true],
      ['year', 'SELECT', '2019', true],
      ['month', 'SELECT', '01', true],
    ]);
    expect(flow.inputs[0]).toMatchObject({ displayName: 'Select taxi type', values: ['yellow', 'green'] });
    expect(flow.variables.table).toBe('public.{{inputs.taxi}}_tripdata');
    expect(flow.pluginDefaults).toEqual([
      { type: 'io.kestra.plugin.jdbc.postgresql', forced: false, values: { url: 'jdbc:postgresql://pgdatabase:5432/ny_taxi', username: 'root', password: 'root' } },
    ]);
  });

  it('walks 17 tasks in document order with their nesting', () => {
    const walked = walkTasks(parsed.flow!);
    expect(walked.map((t) => t.task.id).slice(0, 4)).toEqual(['set_label', 'extract', 'if_yellow_taxi', 'yellow_create_table']);
    expect(walked).toHaveLength(17);
    expect(walked[16]).toMatchObject({ path: ['tasks', 4], depth: 0, task: { id: 'purge_files' } });
    expect(walked[9]).toMatchObject({ path: ['tasks', 3], depth: 0, task: { id: 'if_green_taxi' } });
    expect(walked[10]).toMatchObject({ path: ['tasks', 3, 'then', 0], depth: 1, parentId: 'if_green_taxi', branch: 'then' });
  });

  it('gives positions of paths', () => {
    expect(positionOf(parsed, ['tasks', 3, 'then', 2, 'id'])).toEqual({ line: 212, column: 13 });
    expect(positionOf(parsed, ['tasks', 9])).toBeUndefined();
  });
});

describe('YAML errors', () => {
  it('reports every syntax error with yaml’s own position, and no flow', () => {
    const parsed = parseFlow('id: demo\nnamespace: [zoomcamp\ntasks:\n  - id: a\n    type: "unterminated\n');
    expect(parsed.flow).toBeUndefined();
    expect(errors(parsed.issues).length).toBeGreaterThanOrEqual(2);
    expect(parsed.issues.every((i) => i.pos && i.pos.line >= 1 && i.pos.column >= 1)).toBe(true);
    expect(lines(parsed.issues)[0]).toMatch(/^flow\.yaml:\d+:\d+: /);
  });

  it('reports duplicate keys at the second key', () => {
    const parsed = parseFlow(base('tasks:\n  - id: a\n    type: t.T\n    type: t.U\n'));
    expect(lines(parsed.issues)).toEqual(['flow.yaml:6:5: Map keys must be unique']);
  });

  it('refuses a document that is not a map', () => {
    expect(lines(parseFlow('- id: a\n').issues)).toEqual(['flow.yaml:1:1: a flow must be a YAML map with `id`, `namespace` and `tasks`']);
    expect(lines(parseFlow('').issues)).toEqual(['flow.yaml: the flow is empty: expected a map with `id`, `namespace` and `tasks`']);
  });

  it('refuses a billion-laughs alias bomb with a clear message at the first alias', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let previous = 'a';
    for (const name of 'bcdefghi') {
      bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
      previous = name;
    }
    const parsed = parseFlow(bomb);
    expect(parsed.flow).toBeUndefined();
    expect(lines(parsed.issues)).toEqual([
      'flow.yaml:2:8: YAML aliases expand beyond the limit of 100 (a "billion laughs" document?); the flow was not read',
    ]);
  });

  it('still accepts a few ordinary aliases', () => {
    const parsed = parseFlow(base('variables:\n  common: &c "x"\n  other: *c\ntasks:\n  - id: a\n    type: t.T\n'));
    expect(errors(parsed.issues)).toEqual([]);
    expect(parsed.flow?.variables.other).toBe('x');
  });
});

describe('flow structure', () => {
  it('reports missing id, namespace and tasks together', () => {
    const parsed = parseFlow('description: nothing else\n');
    expect(parsed.flow).toBeUndefined();
    expect(errors(parsed.issues).map((i) => i.message)).toEqual(['flow is missing `id`', 'flow is missing `namespace`', 'flow is missing `tasks`']);
    expect(errors(parsed.issues)[0].pos).toEqual({ line: 1, column: 1 });
  });

  it('reports invalid ids and namespaces at their values', () => {
    const parsed = parseFlow('id: -bad\nnamespace: Zoom Camp\ntasks:\n  - id: "has space"\n    type: t.T\n  - id: x\n    type: t.T\n');
    expect(lines(parsed.issues)).toEqual([
      'flow.yaml:1:5: id: invalid flow id "-bad": use letters, digits, ".", "_" and "-", starting with a letter or digit, at most 100 characters',
      'flow.yaml:2:12: namespace: invalid flow namespace "Zoom Camp": use lower-case letters, digits, ".", "_" and "-", at most 150 characters',
      'flow.yaml:4:9: tasks[0].id: invalid task id "has space": use letters, digits, "_" and "-", starting with a letter or digit, at most 100 characters',
    ]);
    const long = parseFlow(base(`tasks:\n  - id: ${'a'.repeat(101)}\n    type: t.T\n`));
    expect(errors(long.issues)[0].message).toMatch(/^invalid task id/);
  });

  it('reports empty tasks and tasks that are not a list', () => {
    expect(lines(parseFlow(base('tasks: []\n')).issues)).toEqual(['flow.yaml:3:8: tasks: `tasks` is empty: a flow needs at least one task']);
    expect(lines(parseFlow(base('tasks: nope\n')).issues)).toEqual(['flow.yaml:3:8: tasks: `tasks` must be a list of tasks']);
  });

  it('names both places of a duplicate id, nested and in errors/finally', () => {
    const text = base(`tasks:
  - id: load
    type: t.T
  - id: branch
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.x }}"
    cases:
      a:
        - id: load
          type: t.T
    defaults:
      - id: inner
        type: t.T
errors:
  - id: inner
    type: t.T
finally:
  - id: branch
    type: t.T
`);
    const parsed = parseFlow(text);
    expect(lines(parsed.issues)).toEqual([
      'flow.yaml:11:15: tasks[1].cases.a[0].id: duplicate task id "load": also used by tasks[0] at line 4, column 9',
      'flow.yaml:17:9: errors[0].id: duplicate task id "inner": also used by tasks[1].defaults[0] at line 14, column 13',
      'flow.yaml:20:9: finally[0].id: duplicate task id "branch": also used by tasks[1] at line 6, column 9',
    ]);
    expect(errors(parsed.issues).map((i) => i.taskId)).toEqual(['load', 'inner', 'branch']);
    // Duplicates are errors, but the flow can still be shown.
    expect(walkTasks(parsed.flow!).map((t) => `${t.task.id}@${t.branch ?? ''}`)).toEqual([
      'load@', 'branch@', 'load@cases.a', 'inner@defaults', 'inner@errors', 'branch@finally',
    ]);
  });

  it('reports a task without type or id, and gives no flow', () => {
    const parsed = parseFlow(base('tasks:\n  - id: a\n  - type: t.T\n  - plain string\n'));
    expect(parsed.flow).toBeUndefined();
    expect(lines(parsed.issues)).toEqual([
      'flow.yaml:4:5: tasks[0]: task "a" is missing `type`',
      'flow.yaml:5:5: tasks[1]: task is missing `id`',
      'flow.yaml:6:5: tasks[2]: a task must be a map with at least `id` and `type`',
    ]);
  });

  it('only warns about task types it cannot run, and unknown flow keys', () => {
    const parsed = parseFlow(base('tasks:\n  - id: a\n    type: com.example.Custom\nlistenerz: []\n'));
    expect(errors(parsed.issues)).toEqual([]);
    expect(parsed.issues.map((i) => formatIssue(i))).toEqual([
      'flow.yaml:5:11: warning: tasks[0].type: task type com.example.Custom is not supported locally: it is kept and exported as written, but cannot run here',
      'flow.yaml:6:1: warning: listenerz: unknown flow property `listenerz` (Kestra will reject it)',
    ]);
    expect(parsed.flow).toBeDefined();
  });
});

describe('task properties against the task definition', () => {
  const definition: TaskDefinition = {
    kind: 'runnable',
    type: 'com.example.Query',
    title: 'Query',
    description: 'Runs a query.',
    properties: taskSchema(() => ({ sql: z.string(), fetchSize: z.number().int().optional(), options: z.object({ retries: z.number() }).optional() })),
    example: '',
    run: async () => ({ outputs: {} }),
  };
  const lookup = (type: string) => (type === definition.type ? definition : undefined);

  it('maps schema issues to the YAML position of the property, nested paths included', () => {
    const text = base(`tasks:
  - id: q
    type: com.example.Query
    sql: [not, a, string]
    fetchSize: 1.5
    options:
      retries: many
`);
    const parsed = parseWith(text, { lookup });
    const found = errors(parsed.issues).map((i) => [formatIssue(i).split(': ').slice(0, 2).join(': '), i.taskId]);
    expect(found).toEqual([
      ['flow.yaml:6:10: tasks[0].sql', 'q'],
      ['flow.yaml:7:16: tasks[0].fetchSize', 'q'],
      ['flow.yaml:9:16: tasks[0].options.retries', 'q'],
    ]);
    expect(validateWith(parsed, { lookup })).toEqual(parsed.issues);
  });

  it('applies pluginDefaults before checking, as Kestra does', () => {
    const flow = (defaults: string) => base(`tasks:\n  - id: q\n    type: com.example.Query\n${defaults}`);
    expect(lines(parseWith(flow(''), { lookup }).issues)).toEqual(['flow.yaml:4:5: tasks[0].sql: `sql` is required (set it on the task or in pluginDefaults)']);
    expect(errors(parseWith(flow('pluginDefaults:\n  - type: com.example\n    values:\n      sql: SELECT 1\n'), { lookup }).issues)).toEqual([]);
  });

  it('accepts a valid task', () => {
    expect(errors(parseWith(base('tasks:\n  - id: q\n    type: com.example.Query\n    sql: SELECT 1\n'), { lookup }).issues)).toEqual([]);
  });
});

describe('task properties against the task registry', () => {
  it('reports a flowable branch that is not a list at its value', () => {
    const parsed = parseFlow(base('tasks:\n  - id: branch\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ inputs.go }}"\n    then: oops\n'));
    const [issue] = errors(parsed.issues);
    expect(issue).toMatchObject({ path: ['tasks', 0, 'then'], pos: { line: 7, column: 11 }, taskId: 'branch' });
  });
});

describe('inputs', () => {
  it('reports unknown types, duplicate ids, wrong defaults and SELECT without values', () => {
    const text = base(`inputs:
  - id: n
    type: INT
    defaults: ten
  - id: n
    type: STRING
  - id: kind
    type: SELECT
  - id: when
    type: DATE
    defaults: 2024-13-01
  - id: x
    type: TEXT
  - id: tmpl
    type: STRING
    defaults: "{{ now() }}"
tasks:
  - id: a
    type: t.T
`);
    expect(lines(parseFlow(text).issues)).toEqual([
      'flow.yaml:6:15: inputs[0].defaults: default of INT input "n": expected an integer, got "ten"',
      'flow.yaml:7:9: inputs[1].id: duplicate input id "n"',
      'flow.yaml:9:5: inputs[2]: SELECT input "kind" needs a list of `values`',
      'flow.yaml:13:15: inputs[3].defaults: default of DATE input "when": expected a date like 2019-01-31, got "2024-13-01"',
      'flow.yaml:15:11: inputs[4].type: unknown input type "TEXT"; expected one of STRING, INT, FLOAT, BOOLEAN, SELECT, MULTISELECT, ARRAY, JSON, DATETIME, DATE, TIME, DURATION, URI, FILE, SECRET, ENUM, BOOL, EMAIL, YAML',
    ]);
  });

  it('reports a SELECT default outside its values', () => {
    const text = base('inputs:\n  - id: taxi\n    type: SELECT\n    values: [yellow, green]\n    defaults: blue\ntasks:\n  - id: a\n    type: t.T\n');
    expect(lines(parseFlow(text).issues)).toEqual(['flow.yaml:7:15: inputs[0].defaults: default of SELECT input "taxi": "blue" is not one of "yellow", "green"']);
  });
});

describe('triggers', () => {
  const schedule = (props: string, type = 'io.kestra.plugin.core.trigger.Schedule') =>
    base(`tasks:\n  - id: a\n    type: t.T\ntriggers:\n  - id: s\n    type: ${type}\n${props}`);

  it('accepts 5-field crons, nicknames, and 6 fields with withSeconds', () => {
    for (const props of ['    cron: "0 9 1 * *"\n', '    cron: "@monthly"\n', '    cron: "@annually"\n', '    cron: "*/30 0 9 1 * *"\n    withSeconds: true\n', '    cron: "0 10 1 * *"\n    timezone: Europe/Paris\n']) {
      expect(errors(parseFlow(schedule(props)).issues), props).toEqual([]);
    }
  });

  it('reports bad crons and time zones at their values, for the old type name too', () => {
    expect(lines(parseFlow(schedule('    cron: "0 9 1 * * *"\n')).issues)).toEqual([
      'flow.yaml:9:11: triggers[0].cron: cron "0 9 1 * * *" has 6 fields; a Schedule needs 5 (or 6 with withSeconds: true)',
    ]);
    expect(lines(parseFlow(schedule('    cron: "61 9 1 * *"\n    timezone: Europe/Atlantis\n', 'io.kestra.core.models.triggers.types.Schedule')).issues)).toEqual([
      'flow.yaml:9:11: triggers[0].cron: invalid cron "61 9 1 * *": Invalid value for minute: 61',
      'flow.yaml:10:15: triggers[0].timezone: unknown time zone "Europe/Atlantis"; use an IANA name like Europe/Paris or UTC',
    ]);
    expect(lines(parseFlow(schedule('    cron: "@fortnightly"\n')).issues)[0]).toMatch(/unknown cron nickname "@fortnightly"/);
    expect(lines(parseFlow(schedule('    disabled: true\n')).issues)).toEqual(['flow.yaml:7:5: triggers[0]: Schedule trigger needs a `cron` string']);
  });
});

describe('concurrency and labels', () => {
  const flow = (rest: string) => base(`tasks:\n  - id: a\n    type: t.T\n${rest}`);

  it('reads a valid concurrency, defaulting the behavior to QUEUE', () => {
    expect(parseFlow(flow('concurrency:\n  limit: 1\n')).flow?.concurrency).toEqual({ limit: 1, behavior: 'QUEUE' });
    expect(parseFlow(flow('concurrency: {limit: 2, behavior: FAIL}\n')).flow?.concurrency).toEqual({ limit: 2, behavior: 'FAIL' });
  });

  it('reports a non-positive limit and an unknown behavior', () => {
    expect(lines(parseFlow(flow('concurrency:\n  limit: 0\n  behavior: DROP\n')).issues)).toEqual([
      'flow.yaml:7:10: concurrency.limit: `concurrency.limit` must be a positive integer',
      'flow.yaml:8:13: concurrency.behavior: `concurrency.behavior` must be one of QUEUE, CANCEL, FAIL',
    ]);
  });

  it('reads labels as a map or a list of key/value', () => {
    expect(parseFlow(flow('labels:\n  team: data\n  year: 2019\n')).flow?.labels).toEqual({ team: 'data', year: '2019' });
    expect(parseFlow(flow('labels:\n  - key: team\n    value: data\n')).flow?.labels).toEqual({ team: 'data' });
    expect(lines(parseFlow(flow('labels:\n  - team\n')).issues)).toEqual(['flow.yaml:7:5: labels[0]: a label in a list must be a map with `key` and `value`']);
    expect(lines(parseFlow(flow('labels: yes\n')).issues)).toEqual(['flow.yaml:6:9: labels: `labels` must be a map or a list of {key, value}']);
  });
});

describe('formatIssue', () => {
  it('writes file:line:column: path: message', () => {
    const issue: FlowIssue = { message: 'duplicate task id "x"', path: ['tasks', 2, 'id'], pos: { line: 12, column: 5 }, severity: 'error' };
    expect(formatIssue(issue)).toBe('flow.yaml:12:5: tasks[2].id: duplicate task id "x"');
    expect(formatIssue(issue, 'flows/04.yaml')).toBe('flows/04.yaml:12:5: tasks[2].id: duplicate task id "x"');
    expect(formatIssue({ ...issue, path: ['tasks', 0, 'cases', 'a b'], severity: 'warning' })).toBe('flow.yaml:12:5: warning: tasks[0].cases["a b"]: duplicate task id "x"');
  });
});
