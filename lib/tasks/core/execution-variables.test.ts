/**
 * SetVariables and UnsetVariables on Kestra's examples (kestra-io/kestra
 * core/src/main/java/io/kestra/plugin/core/execution/SetVariables.java, UnsetVariables.java):
 * set variables win over the flow's `variables` in `vars` (deep-merged), unset ones fall back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const messages = (id: string) => t.logsOf(id).filter((l) => l.taskId === 'hello' || l.taskId === 'after').map((l) => l.message);

describe('execution variables', () => {
  it('SetVariables: later tasks read them as vars over the flow variables; UnsetVariables removes them again', async () => {
    const r = await t.run(`id: variables
namespace: company.team
variables:
  name: World
  nested:
    keep: kept
tasks:
  - id: set_vars
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      message: Hello
      name: Loïc
      nested:
        added: "{{ flow.id }}"
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.message }} {{ vars.name }} {{ vars.nested.keep }} {{ vars.nested.added }}"
  - id: unset_variables
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables:
      - message
      - name
      - nested.added
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.name }} {{ vars.message ?? 'no message' }} {{ vars.nested.added ?? 'none added' }}"
`);
    expect(r.state).toBe('SUCCESS');
    expect(messages(r.id)).toEqual(['Hello Loïc kept variables', 'World no message none added']);
  });

  it('overwrite false refuses a variable this execution already set, naming it', async () => {
    const r = await t.run(`id: no_overwrite
namespace: company.team
tasks:
  - id: first
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      a: 1
  - id: second
    type: io.kestra.plugin.core.execution.SetVariables
    overwrite: false
    variables:
      a: 2
`);
    expect(r.state).toBe('FAILED');
    expect(t.logsOf(r.id).map((l) => l.message).join('\n')).toContain('`overwrite` is set to false and the following variables already exist: a');
  });

  it('UnsetVariables of a key inside a map that does not exist fails, unless ignoreMissing', async () => {
    const flow = (ignore: boolean) => `id: unset_missing
namespace: company.team
tasks:
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    ignoreMissing: ${ignore}
    variables:
      - absent
      - nothing.here
`;
    const strict = await t.run(flow(false));
    expect(strict.state).toBe('FAILED');
    expect(t.logsOf(strict.id).map((l) => l.message).join('\n')).toContain('cannot unset variable "nothing.here": "nothing" is not a map of variables');
    expect((await t.run(flow(true))).state).toBe('SUCCESS');
  });
});
