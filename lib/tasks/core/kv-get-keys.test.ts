/**
 * kv.GetKeys (kestra-io/kestra core/src/main/java/io/kestra/plugin/core/kv/GetKeys.java):
 * the keys of a namespace, filtered by prefix; a key past its TTL counts as missing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

describe('kv.GetKeys', () => {
  it('lists the keys with the prefix, or all of them, leaving out expired ones', async () => {
    t.engine.kv.set('company.team', 'my_var_a', 1);
    t.engine.kv.set('company.team', 'my_var_b', 2);
    t.engine.kv.set('company.team', 'other', 3);
    t.engine.kv.set('company.team', 'my_var_gone', 4, { ttlMs: -1000 });
    t.engine.kv.set('elsewhere', 'my_var_z', 5);
    const r = await t.run(`id: keys
namespace: company.team
tasks:
  - id: prefixed
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: my_var
  - id: all
    type: io.kestra.plugin.core.kv.GetKeys
  - id: other_namespace
    type: io.kestra.plugin.core.kv.GetKeys
    namespace: elsewhere
`);
    expect(r.state).toBe('SUCCESS');
    expect(r.outputs.prefixed).toEqual({ keys: ['my_var_a', 'my_var_b'] });
    expect(r.outputs.all).toEqual({ keys: ['my_var_a', 'my_var_b', 'other'] });
    expect(r.outputs.other_namespace).toEqual({ keys: ['my_var_z'] });
  });
});
