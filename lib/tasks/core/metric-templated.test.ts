/**
 * metric.Publish (kestra-io/kestra core/src/main/java/io/kestra/plugin/core/metric/Publish.java)
 * and templating.TemplatedTask (core/.../plugin/core/templating/TemplatedTask.java, its test
 * TemplatedTaskTest renders a Return task's spec and reads the Return's output).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

describe('metric.Publish', () => {
  it('records rendered counters, gauges and timers on the task run and lists them as its output', async () => {
    const r = await t.run(`id: metrics
namespace: company.team
tasks:
  - id: publish
    type: io.kestra.plugin.core.metric.Publish
    metrics:
      - type: counter
        name: rows_loaded
        value: "{{ 40 + 2 }}"
        tags:
          table: trips
      - type: timer
        name: load_time
        value: PT1.5S
`);
    expect(r.state).toBe('SUCCESS');
    expect(r.outputs.publish).toEqual({
      metrics: [
        { name: 'rows_loaded', type: 'counter', value: 42, tags: { table: 'trips' } },
        { name: 'load_time', type: 'timer', value: 1500, tags: {} },
      ],
    });
    const metrics = t.events.flatMap((e) => (e.kind === 'metric' && e.metric.executionId === r.id ? [e.metric] : []));
    expect(metrics.map((m) => [m.name, m.value])).toEqual([
      ['rows_loaded', 42],
      ['load_time', 1500],
    ]);
  });

  it('a value that is not a number fails the task, naming the metric', async () => {
    const r = await t.run(`id: bad_metric
namespace: company.team
tasks:
  - id: publish
    type: io.kestra.plugin.core.metric.Publish
    metrics:
      - type: gauge
        name: level
        value: high
`);
    expect(r.state).toBe('FAILED');
    expect(t.logsOf(r.id).map((l) => l.message).join('\n')).toContain('task "publish" metric "level": value "high" is not a number');
  });
});

describe('templating.TemplatedTask', () => {
  it('runs the task its rendered spec describes, under its own id, with that task\'s outputs', async () => {
    const r = await t.run(`id: templated
namespace: company.team
inputs:
  - id: property
    type: STRING
    defaults: format
tasks:
  - id: templated
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: |
      type: io.kestra.plugin.core.debug.Return
      {{ inputs.property }}: "{{ '{{ flow.id }}' }} returns"
`);
    expect(r.state).toBe('SUCCESS');
    expect(r.outputs.templated).toEqual({ value: 'templated returns' });
  });

  it('refuses a TemplatedTask inside the spec, and a spec that is not a task', async () => {
    const nested = await t.run(`id: nested
namespace: company.team
tasks:
  - id: templated
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: |
      type: io.kestra.plugin.core.templating.TemplatedTask
      spec: nothing
`);
    expect(nested.state).toBe('FAILED');
    expect(t.logsOf(nested.id).map((l) => l.message).join('\n')).toContain("The templated task cannot be of type 'io.kestra.plugin.core.templating.TemplatedTask'");
    const notATask = await t.run(`id: not_a_task
namespace: company.team
tasks:
  - id: templated
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: just words
`);
    expect(notATask.state).toBe('FAILED');
    expect(t.logsOf(notATask.id).map((l) => l.message).join('\n')).toContain('spec must render to a task with a `type`');
  });
});
