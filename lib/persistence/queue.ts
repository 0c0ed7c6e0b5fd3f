/**
 * One ordered queue for everything that must happen in event order: storing engine events
 * and jobs that need a quiet moment between them (a subscription's snapshot). Nothing runs
 * concurrently, so a snapshot and the live events after it neither overlap nor leave a gap.
 * Consecutive log lines are handed over as one batch: a chatty task must not cost a round
 * trip per line.
 */
import type { EngineEvent, LogLine } from '../engine';

/** What the queue hands its consumer, in order. */
export type QueueWork = { kind: 'logs'; lines: LogLine[] } | { kind: 'event'; event: Exclude<EngineEvent, { kind: 'log' }> };

type Item = { kind: 'event'; event: EngineEvent } | { kind: 'job'; run: () => Promise<void>; done: (err?: unknown) => void };

export class OrderedQueue {
  private readonly items: Item[] = [];
  private draining: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];

  /** `consume` stores one piece of work; it must not throw (failures are its own to report). */
  constructor(private readonly consume: (work: QueueWork) => Promise<void>) {}

  pushEvent(event: EngineEvent): void {
    this.push({ kind: 'event', event });
  }

  /** Runs `fn` in order with the queued events (nothing is stored or sent meanwhile). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let result: T;
      this.push({
        kind: 'job',
        run: async () => {
          result = await fn();
        },
        done: (err) => (err === undefined ? resolve(result) : reject(err)),
      });
    });
  }

  /** Resolves once everything queued so far is done. */
  idle(): Promise<void> {
    if (!this.draining && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private push(item: Item): void {
    this.items.push(item);
    if (!this.draining) this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    // Yield first: an event that needs no write (a metric) would otherwise let this whole
    // drain finish synchronously, before `push` stores its promise, leaving `draining`
    // set forever and the queue stalled.
    await Promise.resolve();
    while (this.items.length > 0) {
      const batch = this.items.splice(0, this.items.length);
      let i = 0;
      while (i < batch.length) {
        const item = batch[i];
        if (item.kind === 'job') {
          try {
            await item.run();
            item.done();
          } catch (err) {
            item.done(err ?? new Error('job failed'));
          }
          i++;
          continue;
        }
        const event = item.event;
        if (event.kind === 'log') {
          const lines: LogLine[] = [];
          while (i < batch.length) {
            const it = batch[i];
            if (it.kind !== 'event' || it.event.kind !== 'log') break;
            lines.push(it.event.log);
            i++;
          }
          await this.consume({ kind: 'logs', lines });
          continue;
        }
        i++;
        await this.consume({ kind: 'event', event });
      }
    }
    this.draining = undefined;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}
