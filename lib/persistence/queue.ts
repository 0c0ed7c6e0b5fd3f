/**
 * One ordered queue for everything that must happen in event order: storing engine events
 * and jobs that need a quiet moment between them (a subscription's snapshot). Nothing runs
 * concurrently, so a snapshot and the live events after it neither overlap nor leave a gap.
 *
 * Events are handed over in batches: every event queued since the last batch, up to the next
 * job, so the store writes a tick's worth in one transaction instead of one per event. The
 * queue waits one turn of the event loop before each batch; that lets a run's events gather
 * and lets readers (a page asking for the log) be served between two batches.
 */
import type { EngineEvent } from '../engine';

/** Events stored in one batch at most: bounds one transaction's time, so readers wait little. */
export const MAX_BATCH_EVENTS = 2_000;

type Item = { kind: 'event'; event: EngineEvent } | { kind: 'job'; run: () => Promise<void>; done: (err?: unknown) => void };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class OrderedQueue {
  /** Queued items from `head` on; the array is compacted once the taken part dominates it. */
  private items: Item[] = [];
  private head = 0;
  private draining: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];

  /** `consume` stores a batch of events, in order; it must not throw (failures are its own to report). */
  constructor(private readonly consume: (events: EngineEvent[]) => Promise<void>) {}

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
    if (!this.draining && this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private push(item: Item): void {
    this.items.push(item);
    // The drain starts after an await, so `draining` is set before any of it runs.
    if (!this.draining) this.draining = this.drain();
  }

  private pending(): number {
    return this.items.length - this.head;
  }

  private take(): Item {
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private async drain(): Promise<void> {
    while (this.pending() > 0) {
      await nextTurn();
      const first = this.take();
      if (first.kind === 'job') {
        try {
          await first.run();
          first.done();
        } catch (err) {
          first.done(err ?? new Error('job failed'));
        }
        continue;
      }
      const events = [first.event];
      while (this.pending() > 0 && events.length < MAX_BATCH_EVENTS) {
        const next = this.items[this.head];
        if (next.kind !== 'event') break;
        this.take();
        events.push(next.event);
      }
      await this.consume(events);
    }
    this.draining = undefined;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}
