/**
 * Fuzz: whatever text a notebook's YAML holds, parsing and validating it answers with issues
 * (line and column a user can act on) and never throws. The cases are flows built from the
 * catalog's own task types with generated properties (flowables nested in flowables, inputs,
 * triggers, templates as values), those flows cut or spliced at random points, YAML token
 * soup, and plain strings.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFlow, validateFlow } from '../../lib/tasks/catalog';
import { allTaskDefinitions } from '../../lib/tasks/registry';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS } from './fuzz';

const taskTypes = allTaskDefinitions().flatMap((d) => [d.type, ...(d.aliases ?? [])]);
const flowables = taskTypes.filter((t) => /\.flows?\.[A-Za-z]+$/.test(t));
const keys = ['id', 'type', 'tasks', 'then', 'else', 'cases', 'defaults', 'errors', 'finally', 'condition', 'value', 'values', 'format', 'message', 'sql', 'script', 'commands', 'inputFiles', 'outputFiles', 'fetchType', 'url', 'disabled', 'retry', 'timeout', 'allowFailure', 'taskRunner', 'dependsOn', 'task', 'concurrent', 'containerImage', 'env', 'description', 'workerGroup', 'logLevel'];

const templates = fc.constantFrom(
  '{{ outputs.first.value }}', '{{ inputs.name }}', "{{ render(vars.x) }}", '{{ secret("KEY") }}', "{{ kv('k') }}", '{{ trigger.date }}', '{{ taskrun.value }}',
  '{{ parent.taskrun.value }}', '{{ outputs.nope.uri }}', '{{', '{% if %}', "{{ read(outputs.a.uri) | jq('.x') }}", '{{ outputs["x"][0] }}', '{{ execution.id }}',
);
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), templates, fc.constantFrom('PT5M', 'P1D', 'PTX', 'STORE', 'FETCH_ONE', 'NONE', '-1'));
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'xsmall' }, scalar, fc.array(tie('v'), { maxLength: 2 }), fc.dictionary(fc.constantFrom(...keys, 'x'), tie('v'), { maxKeys: 2 })),
})).v;

const taskId = fc.oneof(fc.constantFrom('first', 'second', 'a', 'b', 'loop', 'first'), fc.string({ maxLength: 6 }));
const { task } = fc.letrec<{ task: Record<string, unknown> }>((tie) => ({
  task: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    fc.record({ id: taskId, type: fc.constantFrom(...taskTypes), props: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 3 }) }).map(({ id, type, props }) => ({ ...props, id, type })),
    fc
      .record({ id: taskId, type: fc.constantFrom(...flowables), branch: fc.constantFrom('tasks', 'then', 'else', 'errors', 'finally', 'defaults'), children: fc.array(tie('task'), { maxLength: 2 }), extra: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 2 }) })
      .map(({ id, type, branch, children, extra }) => ({ ...extra, id, type, [branch]: children })),
    fc.record({ id: taskId, type: fc.constantFrom(...flowables), cases: fc.dictionary(fc.string({ maxLength: 4 }), fc.array(tie('task'), { maxLength: 2 }), { maxKeys: 2 }) }).map((t) => ({ ...t, value: '{{ inputs.x }}' })),
    fc.record({ id: taskId, type: fc.string({ maxLength: 20 }) }),
    value.map((v) => v as Record<string, unknown>),
  ),
}));

const input = fc.record({
  id: fc.oneof(fc.constantFrom('name', 'x', 'file'), fc.string({ maxLength: 5 })),
  type: fc.constantFrom('STRING', 'INT', 'FLOAT', 'BOOLEAN', 'SELECT', 'MULTISELECT', 'FILE', 'JSON', 'DATETIME', 'DURATION', 'ARRAY', 'SECRET', 'ENUM', 'nope'),
  defaults: value,
  values: fc.array(scalar, { maxLength: 3 }),
  required: fc.boolean(),
});
const trigger = fc.record({
  id: fc.string({ maxLength: 5 }),
  type: fc.constantFrom('io.kestra.plugin.core.trigger.Schedule', 'io.kestra.plugin.core.trigger.Webhook', 'io.kestra.plugin.core.trigger.Flow', 'x'),
  cron: fc.oneof(fc.constantFrom('0 9 1 * *', '@daily', '* * * * * *', '61 * * * *', ''), fc.string({ maxLength: 10 })),
  timezone: fc.constantFrom('UTC', 'Europe/Paris', 'Mars/Base'),
  inputs: value,
});
const flow = fc.record(
  {
    id: fc.oneof(fc.constant('flow'), fc.string({ maxLength: 6 })),
    namespace: fc.oneof(fc.constant('test.fuzz'), fc.string({ maxLength: 6 })),
    inputs: fc.array(input, { maxLength: 3 }),
    variables: fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 2 }),
    tasks: fc.array(task, { minLength: 1, maxLength: 2 }),
    errors: fc.array(task, { maxLength: 1 }),
    finally: fc.array(task, { maxLength: 1 }),
    triggers: fc.array(trigger, { maxLength: 2 }),
    pluginDefaults: fc.array(fc.record({ type: fc.constantFrom(...taskTypes), values: value }), { maxLength: 1 }),
    concurrency: value,
    disabled: fc.boolean(),
  },
  { requiredKeys: ['id', 'namespace', 'tasks'] },
);
const flowText = flow.map((f) => stringify(f));

const yamlTokens = fc.constantFrom(':', ': ', '- ', '\n', '  ', '    ', '{', '}', '[', ']', ',', '&a ', '*a', '!!str ', '!!binary ', '!custom ', '|', '|-', '>', '# %% [markdown]\n', '#', '---\n', '...\n', "'", '"', '\t', '? ', '<<: *a', 'id', 'namespace', 'tasks', 'type', 'io.kestra.plugin.core.log.Log', '%YAML 1.2\n', '\\', '\u0000', '\uFEFF', '\r\n');
const soup = fc.array(fc.oneof(yamlTokens, fc.string({ maxLength: 4 })), { maxLength: 40 }).map((ts) => ts.join(''));
/** A flow cut short, or two flows spliced at random points (what a half-typed edit looks like). */
const mutated = fc.tuple(flowText, flowText, fc.nat(), fc.nat(), fc.nat()).map(([a, b, i, j, k]) => {
  const cut = i % (a.length + 1);
  return k % 2 === 0 ? a.slice(0, cut) : a.slice(0, cut) + b.slice(j % (b.length + 1));
});
const text = fc.oneof({ weight: 4, arbitrary: flowText }, { weight: 3, arbitrary: mutated }, { weight: 2, arbitrary: soup }, { weight: 1, arbitrary: fc.string({ maxLength: 60, unit: 'binary' }) });
const environment = fc.option(fc.record({ secrets: fc.boolean(), kv: fc.boolean() }), { nil: undefined });

describe('flow parser and validator under fuzz', () => {
  it(`parse and validate ${FUZZ_RUNS} generated flow texts into issues, never an exception`, { timeout: FUZZ_TIMEOUT_MS }, () => {
    let withFlow = 0;
    fc.assert(
      fc.property(text, environment, (t, env) => {
        const parsed = parseFlow(t, env && { hasSecret: () => env.secrets, hasKv: () => env.kv });
        expect(Array.isArray(parsed.issues)).toBe(true);
        for (const issue of parsed.issues) expect(typeof issue.message).toBe('string');
        if (parsed.flow) withFlow++;
        const issues = validateFlow(parsed);
        expect(Array.isArray(issues)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    // Most cases must be read as flows, so the checks past the YAML reader are what is fuzzed.
    expect(withFlow).toBeGreaterThan(FUZZ_RUNS / 5);
  });
});
