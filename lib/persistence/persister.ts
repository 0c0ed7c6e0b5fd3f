/**
 * The server's subscriber to the engine's bus: every event goes through one ordered queue
 * into the store, and only then to the browsers. See queue.ts for the ordering guarantees
 * and store.ts for what is written.
 */
import type { HotWriter } from '../db/hot-writer';
import type { EngineEvent, EventBus } from '../engine';
import { OrderedQueue } from './queue';
import { EventStore, type Broadcaster } from './store';

export type { Broadcaster } from './store';

export class EventPersister {
  private readonly store: EventStore;
  private readonly queue: OrderedQueue;

  constructor(hot: HotWriter, broadcaster: Broadcaster) {
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

  /** Resolves once everything queued so far is stored and sent. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async write(events: EngineEvent[]): Promise<void> {
    try {
      await this.store.store(events);
    } catch (err) {
      // One failed batch must not stop the queue: later events still get stored and sent.
      console.error(`flowbook: storing ${events.length} event(s) failed:`, err);
    }
  }
}
