/**
 * The server's subscriber to the engine's bus: every event goes through one ordered queue
 * into the store, and only then to the browsers. See queue.ts for the ordering guarantees
 * and store.ts for what is written.
 */
import type { Db } from '../db/client';
import type { EventBus } from '../engine';
import { OrderedQueue, type QueueWork } from './queue';
import { EventStore, type Broadcaster } from './store';

export type { Broadcaster } from './store';

export class EventPersister {
  private readonly store: EventStore;
  private readonly queue: OrderedQueue;

  constructor(db: Db, broadcaster: Broadcaster) {
    this.store = new EventStore(db, broadcaster);
    this.queue = new OrderedQueue((work) => this.write(work));
  }

  setBroadcaster(b: Broadcaster): void {
    this.store.broadcaster = b;
  }

  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.queue.pushEvent(event));
  }

  /** Runs `fn` in order with the stored events (nothing is stored or sent meanwhile). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.exclusive(fn);
  }

  /** Resolves once everything queued so far is stored and sent. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async write(work: QueueWork): Promise<void> {
    try {
      if (work.kind === 'logs') await this.store.logs(work.lines);
      else if (work.event.kind === 'execution') await this.store.execution(work.event.execution);
      else if (work.event.kind === 'taskrun') await this.store.taskRun(work.event.taskRun);
    } catch (err) {
      // One failed write must not stop the queue: later events still get stored and sent.
      const what = work.kind === 'logs' ? 'log lines' : work.event.kind === 'execution' ? `execution ${work.event.execution.id}` : 'an event';
      console.error(`flowbook: storing ${what} failed:`, err);
    }
  }
}
