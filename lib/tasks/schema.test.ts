import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { commonTaskProperties, lenient, taskSchema } from './schema';
import { allTaskDefinitions } from './registry';

/** A value for each property of Kestra's base Task class (core/src/main/java/io/kestra/core/models/tasks/Task.java). */
const COMMON_VALUES: Record<keyof typeof commonTaskProperties, unknown> = {
  id: 'x',
  type: 'replaced',
  version: '1.0',
  pluginDefaultsRef: 'ref',
  description: 'a task',
  disabled: false,
  allowFailure: true,
  allowWarning: true,
  timeout: 'PT1M',
  retry: { type: 'constant', interval: 'PT1S', maxAttempts: 2 },
  logLevel: 'INFO',
  logToFile: false,
  runIf: '{{ true }}',
  workerGroup: { key: 'gpu' },
  taskCache: { enabled: true, ttl: 'PT1H' },
  assets: { inputs: [] },
};

describe.each(allTaskDefinitions().map((d) => [d.type, d] as const))('%s', (_type, def) => {
  const example = parse(def.example) as Record<string, unknown>;

  it('accepts every common task property beside its own', () => {
    const result = def.properties().safeParse({ ...example, ...COMMON_VALUES, id: example.id, type: def.type });
    expect(result.success, result.error?.message).toBe(true);
  });

  it('rejects a property it does not have, as Kestra does', () => {
    const result = def.properties().safeParse({ ...example, notAProperty: 1 });
    expect(result.error?.issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', keys: ['notAProperty'], path: [] }));
  });

  it('declares distinct output names, if any', () => {
    const names = def.outputs ?? [];
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('taskSchema', () => {
  it('builds the schema the first time it is asked for, and only once', () => {
    let built = 0;
    const lazy = taskSchema(() => {
      built++;
      return { message: z.string() };
    });
    expect(built).toBe(0);
    expect(lazy()).toBe(lazy());
    expect(built).toBe(1);
  });

  const schema = taskSchema(() => ({ message: z.string() }))();

  it('gives errors and finally to flowable types only', () => {
    const handlers = { errors: [{ id: 'e', type: 'io.kestra.plugin.core.log.Log' }], finally: [] };
    expect(schema.safeParse({ id: 'a', type: 'io.kestra.plugin.core.flow.Sequential', message: 'm', ...handlers }).success).toBe(true);
    expect(schema.safeParse({ id: 'a', type: 'io.kestra.plugin.core.log.Log', message: 'm', ...handlers }).error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['errors', 'finally'] }),
    ]);
  });

  it('reads leniently at run time: a property a pluginDefaults prefix adds is dropped, not an error', () => {
    const task = { id: 'a', type: 'io.kestra.plugin.core.log.Log', message: 'm', url: 'jdbc:…' };
    expect(schema.safeParse(task).success).toBe(false);
    expect(lenient(schema).parse(task)).toEqual({ id: 'a', type: 'io.kestra.plugin.core.log.Log', message: 'm' });
    expect(lenient(schema)).toBe(lenient(schema));
  });
});
