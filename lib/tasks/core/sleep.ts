import { taskSchema, isoDuration } from '../schema';
import { TaskError, type RunnableTaskDefinition } from '../types';
import { readProps } from './props';
import { parseDurationMs } from '../../model/duration';

const properties = taskSchema(() => ({
  duration: isoDuration.describe('How long to wait, as an ISO-8601 duration: PT30S is 30 seconds, PT5M five minutes, P1D a day.'),
}));

export const sleep: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.flow.Sleep',
  aliases: ['io.kestra.core.tasks.flows.Sleep'],
  title: 'Wait for a while',
  description:
    'Pauses the flow for a fixed duration before the next task starts. Use it to wait for an external system to catch up, to space out calls to a rate-limited API, or to watch concurrency limits and cancellation at work. Cancelling the execution ends the wait at once.',
  properties,
  outputs: [],
  example: `id: wait
type: io.kestra.plugin.core.flow.Sleep
duration: PT5S`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const ms = parseDurationMs(ctx.renderString(props.duration), `task "${ctx.task.id}" duration`);
    if (ms < 0) throw new TaskError(`task "${ctx.task.id}": duration must not be negative`);
    await new Promise<void>((resolve, reject) => {
      if (ctx.signal.aborted) return reject(abortError(ctx.signal));
      const timer = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(ctx.signal));
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    return { outputs: {} };
  },
};

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new TaskError('Sleep was interrupted');
}
