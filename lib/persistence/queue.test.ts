/**
 * The ordered queue with batches in flight: a batch is taken while the one before is still
 * being written, never more than MAX_BATCHES_IN_FLIGHT at once; a job runs only once every
 * batch before it has ended; and events pushed while the last batches end are not left behind.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine';
import { MAX_BATCH_EVENTS, MAX_BATCHES_IN_FLIGHT, OrderedQueue } from './queue';

const log = (n: number) => ({ kind: 'log', log: { executionId: 'e', message: String(n) } }) as unknown as EngineEvent;
const numbers = (events: EngineEvent[]) => events.map((e) => Number((e as { log: { message: string } }).log.message));
const turn = () => new Promise((r) => setImmediate(r));

describe('OrderedQueue', () => {
  it('keeps at most MAX_BATCHES_IN_FLIGHT batches in flight, runs a job after all of them, and takes what came meanwhile', async () => {
    const taken: number[][] = [];
    const ends: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    const trace: string[] = [];
    const queue = new OrderedQueue(async (events) => {
      taken.push(numbers(events));
      inFlight++;
      most = Math.max(most, inFlight);
      let end!: () => void;
      const done = new Promise<void>((resolve) => (end = resolve)).then(() => {
        inFlight--;
        trace.push(`end ${numbers(events).join(',')}`);
      });
      ends.push(end);
      return { done };
    });
    // Enough events, one turn apart, to fill more than the batches allowed in flight.
    for (let i = 1; i <= 3 * MAX_BATCH_EVENTS; i++) queue.pushEvent(log(i));
    const job = queue.exclusive(async () => void trace.push(`job with ${inFlight} in flight`));
    for (let k = 0; k < 20 && ends.length < MAX_BATCHES_IN_FLIGHT; k++) await turn();
    expect(ends.length).toBe(MAX_BATCHES_IN_FLIGHT);
    expect(trace).toEqual([]);
    // Ending the batches one by one: the job waits for the last of them.
    while (trace.every((t) => !t.startsWith('job'))) {
      ends.shift()?.();
      for (let k = 0; k < 5; k++) await turn();
    }
    await job;
    expect(trace.at(-1)).toBe('job with 0 in flight');
    expect(most).toBeLessThanOrEqual(MAX_BATCHES_IN_FLIGHT);
    expect(taken.flat()).toEqual(Array.from({ length: 3 * MAX_BATCH_EVENTS }, (_, i) => i + 1));

    // Pushed while the last batch is still being written: taken by the same drain.
    queue.pushEvent(log(-1));
    for (let k = 0; k < 5; k++) await turn();
    queue.pushEvent(log(-2));
    const idle = queue.idle();
    for (let k = 0; k < 50 && !taken.flat().includes(-2); k++) {
      ends.shift()?.();
      await turn();
    }
    while (ends.length) ends.shift()!();
    await idle;
    expect(taken.flat().slice(-2)).toEqual([-1, -2]);
  });
});
