/**
 * Kestra's execution.Assert (core/src/main/java/io/kestra/plugin/core/execution/Assert.java):
 * every condition is rendered and read for truth; each false one (or one that cannot render)
 * is logged as an ERROR, `success` and `failed` counters are recorded, and if any failed the
 * task fails with "N assertion(s) failed!" and the optional errorMessage on the next line.
 */
import * as z from 'zod';
import { stringish, taskSchema } from '../schema';
import { TaskError, type RunnableTaskDefinition } from '../types';
import { readProps, renderOptional } from './props';
import { isTruthy } from './truth';

const properties = taskSchema(() => ({
  conditions: z.array(stringish).min(1).describe('Expressions that must all render to something true, e.g. `{{ outputs.count.rows | length > 0 }}`.'),
  errorMessage: stringish.optional().describe('Added on a line of its own to the error when an assertion fails.'),
}));

export const assertTask: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.Assert',
  title: 'Assert conditions',
  description:
    'Checks a list of conditions against the execution\'s data and fails the task when any is false, logging each one that failed. Use it as a data-quality gate: a row count above zero, an input in range, an output of the expected shape.',
  properties,
  outputs: [],
  example: `id: check
type: io.kestra.plugin.core.execution.Assert
conditions:
  - "{{ inputs.param == 'ok' }}"
  - "{{ 1 + 1 == 2 }}"
errorMessage: The input is not ok`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    let failed = 0;
    let success = 0;
    for (const condition of props.conditions) {
      try {
        if (isTruthy(ctx.renderString(condition))) success++;
        else {
          ctx.logger.error(`Assertion \`${condition}\` failed!`);
          failed++;
        }
      } catch (err) {
        ctx.logger.error(`Assertion \`${condition}\` failed, failed to render \`${err instanceof Error ? err.message : String(err)}\``);
        failed++;
      }
    }
    ctx.metric('success', 'counter', success);
    ctx.metric('failed', 'counter', failed);
    if (failed > 0) {
      const extra = renderOptional(ctx, props.errorMessage);
      throw new TaskError(`${failed} assertion${failed > 1 ? 's' : ''} failed!${extra === undefined ? '' : `\n${extra}`}`);
    }
    return { outputs: {} };
  },
};
