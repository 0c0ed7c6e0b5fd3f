/**
 * One ordered queue for everything that must happen in event order: storing engine events
 * and jobs that need a quiet moment between them (a subscription's snapshot). Nothing runs
 * concurrently, so a snapshot and the live events after it neither overlap nor leave a gap.
 *
 * Events are handed over in batches: every event queued since the last batch, up to the next
 * job, so the store writes a tick's worth in one transaction instead of one per event. The
 * queue waits one turn of the event loop before each batch; that lets a run's events gather
 * and lets readers (a page asking for the log) be served between two batches.
 *
 * Up to MAX_BATCHES_IN_FLIGHT batches are on their way at once: the consumer takes a batch
 * (numbers its lines, starts its write) and answers with a promise for its end (stored and
 * sent, in batch order); the next batch is taken while the one before is still being
 * written, so the writer is never left waiting for the engine's thread. A job waits for
 * every batch before it to end.
 */
import type { EngineEvent } from '../engine';

/** Events stored in one batch at most: bounds one transaction's time, so readers wait little. */
export const MAX_BATCH_EVENTS = 5_000;
/** Events worth taking as a batch while the one before is still being written. */
const FULL_ENOUGH = 1_000;
/** Batches taken but not yet stored and sent, at most. */
export const MAX_BATCHES_IN_FLIGHT = 2;

/** A taken batch: `done` resolves once it is stored and sent (never rejects). */
export interface BatchTaken {
  done: Promise<void>;
}

type Item = { kind: 'event'; event: EngineEvent } | { kind: 'job'; run: () => Promise<void>; done: (err?: unknown) => void };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class OrderedQueue {
  /** Queued items from `head` on; the array is compacted once the taken part dominates it. */
  private items: Item[] = [];
  private head = 0;
  private draining: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private onFilled: (() => void) | undefined;

  /**
   * `consume` takes a batch of events, in order, and resolves once the next batch may be
   * taken; the ends it returns must come in batch order. It must not throw (failures are
   * its own to report).
   */
  constructor(private readonly consume: (events: EngineEvent[]) => Promise<BatchTaken>) {}

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

  /** Resolves once FULL_ENOUGH items wait (or a job does). */
  private filled(): Promise<void> {
    return new Promise((resolve) => (this.onFilled = resolve));
  }

  private push(item: Item): void {
    this.items.push(item);
    if (this.onFilled && (item.kind === 'job' || this.pending() >= FULL_ENOUGH)) {
      this.onFilled();
      this.onFilled = undefined;
    }
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
    const inFlight: Promise<void>[] = [];
    for (;;) {
      await this.drainTaken(inFlight);
      // Items pushed while the last batches end are taken by this drain, not left behind.
      if (inFlight.length === 0) break;
      await inFlight.at(-1);
      inFlight.length = 0;
    }
    this.draining = undefined;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  private async drainTaken(inFlight: Promise<void>[]): Promise<void> {
    while (this.pending() > 0) {
      await nextTurn();
      // With a batch still being written, the next one is taken once it is worth a write of
      // its own (or the one before ended): many small batches would cost more than they save.
      if (inFlight.length > 0 && this.pending() < FULL_ENOUGH) await Promise.race([inFlight.at(-1), this.filled()]);
      const first = this.take();
      if (first.kind === 'job') {
        // Ends come in order: the last one taken ending means all have.
        await inFlight.at(-1);
        inFlight.length = 0;
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
      inFlight.push((await this.consume(events)).done);
      if (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift();
    }
  }
}
