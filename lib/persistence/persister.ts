/**
 * The server's subscriber to the engine's bus: every event goes through one ordered queue
 * into the store, and only then to the browsers. See queue.ts for the ordering guarantees
 * and store.ts for what is written.
 */
import type { HotWriter } from '../db/hot-writer';
import type { EngineEvent, EventBus } from '../engine';
import type { LogDto } from '../contract';
import { OrderedQueue, type BatchTaken } from './queue';
import { EventStore, type Broadcaster } from './store';

export type { Broadcaster } from './store';

export class EventPersister {
  private readonly store: EventStore;
  private readonly queue: OrderedQueue;

  constructor(
    private readonly hot: HotWriter,
    broadcaster: Broadcaster,
  ) {
    this.store = new EventStore(hot, broadcaster);
    this.queue = new OrderedQueue((events) => this.write(events));
  }

  setBroadcaster(b: Broadcaster): void {
    this.store.broadcaster = b;
  }

  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => {
      // Metrics are not stored: they would only lengthen the queue.
      if (event.kind !== 'metric') this.queue.pushEvent(event);
    });
  }

  /** Runs `fn` in order with the stored events (nothing is stored or sent meanwhile). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.exclusive(fn);
  }

  /**
   * A page of a stored log, read with the hot path's prepared statements (undefined for an
   * unknown execution). Lines appear here once stored, which is before they are sent.
   */
  logPage(executionId: string, afterSeq: number, limit: number): Promise<LogDto[] | undefined> {
    return this.hot.logPage(executionId, afterSeq, limit);
  }

  /** Resolves once the events queued so far are stored and sent (later ones may still be coming). */
  stored(): Promise<void> {
    return this.queue.exclusive(async () => undefined);
  }

  /** Resolves once everything queued so far is stored and sent, and nothing more is queued. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async write(events: EngineEvent[]): Promise<BatchTaken> {
    try {
      return await this.store.take(events);
    } catch (err) {
      // One failed batch must not stop the queue: later events still get stored and sent.
      console.error(`flowbook: storing ${events.length} event(s) failed:`, err);
      return { done: Promise.resolve() };
    }
  }
}
