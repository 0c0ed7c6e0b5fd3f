/**
 * A flow that starts itself with no end stops at MAX_SUBFLOW_DEPTH levels: the deepest Subflow
 * task fails saying why, and with transmitFailed every level above fails in turn, instead of
 * executions being started until the server runs out of memory. A recursion that ends on its
 * own, well within the limit, runs as Kestra would run it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';
import { MAX_SUBFLOW_DEPTH, flowsResolver, type ResolvedFlow } from '../../../engine';

const flows: ResolvedFlow[] = [];
const t = createTestEngine({ flows: flowsResolver(flows, 'this test') });
afterAll(() => t.close());

const forever = `id: forever
namespace: company.team
tasks:
  - id: again
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: forever
`;

const countdown = `id: countdown
namespace: company.team
inputs:
  - id: n
    type: INT
tasks:
  - id: more
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.n > 0 }}"
    then:
      - id: next
        type: io.kestra.plugin.core.flow.Subflow
        namespace: company.team
        flowId: countdown
        inputs:
          n: "{{ inputs.n - 1 }}"
    else:
      - id: done
        type: io.kestra.plugin.core.log.Log
        message: lift-off
`;

flows.push({ flow: t.flow(forever) }, { flow: t.flow(countdown) });

describe('Subflow recursion', () => {
  it(`a flow that starts itself forever fails at ${MAX_SUBFLOW_DEPTH} levels, naming the cause`, async () => {
    const r = await t.run(forever);
    expect(r.state).toBe('FAILED');
    const started = new Set(t.events.flatMap((e) => (e.kind === 'execution' && e.execution.flowId === 'forever' ? [e.execution.id] : [])));
    expect(started.size).toBe(MAX_SUBFLOW_DEPTH + 1);
    const messages = t.events.flatMap((e) => (e.kind === 'log' ? [e.log.message] : []));
    expect(messages.some((m) => m.includes(`would be ${MAX_SUBFLOW_DEPTH + 1} levels deep (more than ${MAX_SUBFLOW_DEPTH})`))).toBe(true);
  });

  it('a recursion that ends by itself runs to its end', async () => {
    const r = await t.run(countdown, { inputs: { n: 5 } });
    expect(r.state).toBe('SUCCESS');
    const messages = t.events.flatMap((e) => (e.kind === 'log' ? [e.log.message] : []));
    expect(messages).toContain('lift-off');
  });
});
