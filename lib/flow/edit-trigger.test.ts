import { describe, expect, it } from 'vitest';
import { setTriggerProperty } from './edit-trigger';
import { FlowEditError } from './edit';
import { parseFlow } from '../tasks/catalog';

const flow = `id: taxi
namespace: zoomcamp

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"

triggers:
  # green every month
  - id: green_schedule
    type: io.kestra.plugin.core.trigger.Schedule   # monthly
    cron: "0 9 1 * *"
    inputs:
      taxi: green

  - id: yellow_schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 10 1 * *"
    disabled: false # keep on
    inputs:
      taxi: yellow
`;

/** The text after equals the text before with exactly one fragment replaced. */
function expectOnlyChange(before: string, after: string, oldFragment: string, newFragment: string): void {
  const at = before.indexOf(oldFragment);
  expect(at, 'fragment present').toBeGreaterThanOrEqual(0);
  expect(before.indexOf(oldFragment, at + 1), 'fragment unique').toBe(-1);
  expect(after).toBe(before.slice(0, at) + newFragment + before.slice(at + oldFragment.length));
}

function triggerOf(text: string, id: string): Record<string, unknown> | undefined {
  return parseFlow(text).flow?.triggers.find((t) => t.id === id);
}

describe('setTriggerProperty', () => {
  it('adds `disabled: true` after the trigger’s last line, nested inputs included, touching nothing else', () => {
    const after = setTriggerProperty(parseFlow(flow), 'green_schedule', 'disabled', true);
    expectOnlyChange(flow, after.text, '      taxi: green\n', '      taxi: green\n    disabled: true\n');
    expect(triggerOf(after.text, 'green_schedule')).toMatchObject({ disabled: true, inputs: { taxi: 'green' } });
    expect(triggerOf(after.text, 'yellow_schedule')?.disabled).toBe(false);
  });

  it('rewrites an existing value in place, keeping its trailing comment', () => {
    const after = setTriggerProperty(parseFlow(flow), 'yellow_schedule', 'disabled', true);
    expectOnlyChange(flow, after.text, 'disabled: false # keep on', 'disabled: true # keep on');
  });

  it('removes a property line with undefined, and removing an absent one changes nothing', () => {
    const off = setTriggerProperty(parseFlow(flow), 'yellow_schedule', 'disabled', undefined);
    expectOnlyChange(flow, off.text, '    disabled: false # keep on\n', '');
    expect(setTriggerProperty(parseFlow(flow), 'green_schedule', 'disabled', undefined).text).toBe(flow);
  });

  it('round-trips disable then enable to the original bytes when the property was absent', () => {
    const disabled = setTriggerProperty(parseFlow(flow), 'green_schedule', 'disabled', true);
    expect(setTriggerProperty(disabled, 'green_schedule', 'disabled', undefined).text).toBe(flow);
  });

  it('keeps CRLF line endings', () => {
    const crlf = flow.replace(/\n/g, '\r\n');
    const after = setTriggerProperty(parseFlow(crlf), 'green_schedule', 'disabled', true);
    expectOnlyChange(crlf, after.text, '      taxi: green\r\n', '      taxi: green\r\n    disabled: true\r\n');
  });

  it('names an unknown trigger, a flow without triggers, and refuses flow-style lists', () => {
    expect(() => setTriggerProperty(parseFlow(flow), 'nope', 'disabled', true)).toThrow(new FlowEditError('no trigger with id "nope" in the flow'));
    const noTriggers = flow.slice(0, flow.indexOf('triggers:'));
    expect(() => setTriggerProperty(parseFlow(noTriggers), 'green_schedule', 'disabled', true)).toThrow(/has no `triggers` list/);
    const inline = `${noTriggers}triggers: [{id: t, type: io.kestra.plugin.core.trigger.Schedule, cron: "@daily"}]\n`;
    expect(() => setTriggerProperty(parseFlow(inline), 't', 'disabled', true)).toThrow(/flow-style list/);
    expect(() => setTriggerProperty(parseFlow(flow), 'green_schedule', 'id', undefined)).toThrow(/a trigger cannot lose its `id`/);
  });
});
