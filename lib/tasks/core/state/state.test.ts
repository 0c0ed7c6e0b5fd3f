/**
 * state.Get / Set / Delete as Kestra's StateTest (kestra-io/kestra
 * core/src/test/java/io/kestra/plugin/core/flow/StateTest.java) and state.yaml use them, over a
 * real engine and KV store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';
import { murmur3x64128Hex } from './murmur3';

const t = createTestEngine();
afterAll(() => t.close());

describe('state store', () => {
  it('hashes a loop value as Guava murmur3_128 does (Kestra Hashing.hashToString)', () => {
    // Values computed with Guava 32's Hashing.murmur3_128().hashString(value, UTF_8).toString().
    expect(murmur3x64128Hex('')).toBe('00000000000000000000000000000000');
    expect(murmur3x64128Hex('hello')).toBe('029bbd41b3a7d8cb191dae486a901e5b');
    expect(murmur3x64128Hex('The quick brown fox jumps over the lazy dog')).toBe('6c1b07bc7bbc4be347939ac4a93c437a');
    expect(murmur3x64128Hex('value 1')).toBe('d9afdc56e8e7ae370c03f278856ea97e');
    expect(murmur3x64128Hex('état-16octets!!!')).toBe('1c8d0c3fedbf5819ec338160e08f0e82');
    expect(murmur3x64128Hex('0123456789abcdefX')).toBe('f7d670b5acd2ebcd274b10829711728f');
  });

  it('gets nothing, sets and merges, gets, deletes (StateTest#run)', async () => {
    const result = await t.run(`
id: state-run
namespace: io.kestra.tests
inputs:
  - id: key
    type: STRING
    defaults: test
tasks:
  - id: get0
    type: io.kestra.plugin.core.state.Get
  - id: set1
    type: io.kestra.plugin.core.state.Set
    data:
      "{{ inputs.key }}": "{{ 1 }}"
  - id: get1
    type: io.kestra.plugin.core.state.Get
  - id: set2
    type: io.kestra.plugin.core.state.Set
    data:
      "{{ inputs.key }}": "2"
      test2: "3"
  - id: get2
    type: io.kestra.plugin.core.state.Get
  - id: delete
    type: io.kestra.plugin.core.state.Delete
  - id: get3
    type: io.kestra.plugin.core.state.Get
`);
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.get0).toEqual({ count: 0, data: {} });
    expect(result.outputs.set1).toEqual({ count: 1, key: 'state-run_states_tasks-states_default' });
    expect(result.outputs.get1).toEqual({ count: 1, data: { test: '1' } });
    expect(result.outputs.set2).toMatchObject({ count: 2 });
    expect(result.outputs.get2).toEqual({ count: 2, data: { test: '2', test2: '3' } });
    expect(result.outputs.delete).toEqual({ deleted: true });
    expect(result.outputs.get3).toEqual({ count: 0, data: {} });
  });

  it('fails Delete and Get with errorOnMissing when the state is missing (StateTest#deleteThrow)', async () => {
    const result = await t.run(`
id: state-missing
namespace: io.kestra.tests
tasks:
  - id: delete
    type: io.kestra.plugin.core.state.Delete
    name: nothing-here
    errorOnMissing: true
`);
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns[0].error).toBe("Unable to find the state file 'nothing-here'");
  });

  it('keeps state between executions, per flow unless namespace: true, and per loop value unless taskrunValue: false (state.yaml)', async () => {
    const yaml = (flowId: string) => `
id: ${flowId}
namespace: io.kestra.tests
tasks:
  - id: state
    type: io.kestra.plugin.core.state.Get
    name: counter
  - id: switch
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ (outputs.state.data.value ?? 0) == 0 ? 'create' : ( outputs.state.data.value == 1 ? 'update' : 'delete') }}"
    cases:
      "create":
        - id: create
          type: io.kestra.plugin.core.state.Set
          name: counter
          data:
            value: 1
      "update":
        - id: update
          type: io.kestra.plugin.core.state.Set
          name: counter
          data:
            value: "{{ outputs.state.data.value + 1 }}"
      "delete":
        - id: delete
          type: io.kestra.plugin.core.state.Delete
          name: counter
`;
    const branches = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.run(yaml('state-counter'));
      branches.push((r.outputs.switch as { value: string }).value);
    }
    expect(branches).toEqual(['create', 'update', 'delete', 'create']);
    // Another flow of the namespace has its own state.
    expect(((await t.run(yaml('state-other'))).outputs.switch as { value: string }).value).toBe('create');

    const each = await t.run(`
id: state-each
namespace: io.kestra.tests
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: setEach
        type: io.kestra.plugin.core.state.Set
        name: per-value
        data:
          seen: "{{ taskrun.value }}"
      - id: setShared
        type: io.kestra.plugin.core.state.Set
        name: shared
        namespace: true
        taskrunValue: false
        data:
          last: "{{ taskrun.value }}"
`);
    const setEach = each.outputs.setEach as Record<string, { key: string }>;
    expect(setEach.a.key).toBe(`state-each_states_tasks-states_per-value_${murmur3x64128Hex('a')}`);
    expect(setEach.b.key).toBe(`state-each_states_tasks-states_per-value_${murmur3x64128Hex('b')}`);
    expect((each.outputs.setShared as Record<string, { key: string }>).b.key).toBe('states_tasks-states_shared');
    expect(t.engine.kv.get('io.kestra.tests', 'states_tasks-states_shared')).toEqual({ found: true, value: { last: 'b' } });
  });
});
