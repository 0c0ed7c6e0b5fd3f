/** The core task types of Kestra that Flowbook runs: `flowbook validate` knows them all. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFlow } from '../catalog';
import { definitions } from './index';

const NEW_CORE_TYPES = [
  'io.kestra.plugin.core.flow.LoopUntil',
  'io.kestra.plugin.core.flow.WaitFor',
  'io.kestra.plugin.core.flow.Dag',
  'io.kestra.plugin.core.flow.AllowFailure',
  'io.kestra.plugin.core.flow.WorkingDirectory',
  'io.kestra.core.tasks.flows.Worker',
  'io.kestra.plugin.core.storage.LocalFiles',
  'io.kestra.plugin.core.log.Fetch',
  'io.kestra.plugin.core.debug.Echo',
  'io.kestra.plugin.core.state.Get',
  'io.kestra.plugin.core.state.Set',
  'io.kestra.plugin.core.state.Delete',
];

describe('core task types', () => {
  it.each(NEW_CORE_TYPES)('%s is a known type', (type) => {
    expect(definitions.some((d) => d.type === type || d.aliases?.includes(type))).toBe(true);
  });

  it.each(definitions.map((d) => [d.type, d.example] as const))('%s: its example reads as a flow without "not supported locally"', (_type, example) => {
    const task = parse(example) as Record<string, unknown>;
    const yaml = `id: example\nnamespace: examples\ntasks: ${JSON.stringify([task])}\n`;
    const parsed = parseFlow(yaml);
    const messages = parsed.issues.map((i) => i.message);
    expect(messages.filter((m) => m.includes('not supported locally'))).toEqual([]);
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
