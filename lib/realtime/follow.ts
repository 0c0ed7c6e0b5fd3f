/**
 * Who follows which execution, and how each follower is fed. A follower is either live (in
 * the execution's room: every line is one broadcast, encoded once for all of them) or
 * catching up (out of the room, fed from the store a page at a time, each page only once the
 * socket has taken most of the one before). A subscribe starts by catching up; a live
 * follower whose unsent bytes pass the high-water mark goes back to catching up from the last
 * line broadcast. So the server never holds more than about one page and one stored batch
 * unsent per follower, however slow it reads, and a class of 100 costs one stream, not 100.
 *
 * Order holds without gaps or repeats: pages are read after the last seq sent, and the step
 * back into the room (the last lines, the execution and its task runs, then the join) runs in
 * the persistence queue, between two stored batches, as a subscribe always did.
 */
import type { Socket as IoSocket } from 'socket.io';
import type { ClientToServerEvents, ExecutionSnapshotPayload, LogDto, ServerToClientEvents } from '../contract';
import type { Db } from '../db/client';
import type { EventPersister } from '../persistence/persister';
import { executionDto, taskRunDto } from '../persistence/rows';
import { HIGH_WATER_BYTES, LOW_WATER_BYTES, pendingBytes } from './backpressure';

type Socket = IoSocket<ClientToServerEvents, ServerToClientEvents>;

/** Lines per catch-up page (a page is sent whole; lines are capped at 1 MiB when stored). */
export const PAGE_LINES = 500;

export const executionRoom = (id: string) => `execution:${id}`;

/** Reads a page of stored lines after a seq; undefined for an unknown execution. */
export interface LogPages {
  logPage(executionId: string, afterSeq: number, limit: number): Promise<LogDto[] | undefined>;
}

/**
 * What a subscriber has not seen yet: the execution, its task runs, and up to `limit` lines
 * after `afterSeq` (all of them by default). Read inside the persistence queue when the
 * subscriber joins the live stream right after.
 */
export async function executionSnapshot(db: Db, pages: LogPages, executionId: string, afterSeq: number, limit = Number.MAX_SAFE_INTEGER): Promise<ExecutionSnapshotPayload | undefined> {
  const execution = await db.execution.findUnique({ where: { id: executionId } });
  if (!execution) return undefined;
  const [taskRuns, logs] = await Promise.all([
    db.taskRun.findMany({ where: { executionId }, orderBy: [{ ord: 'asc' }, { id: 'asc' }] }),
    pages.logPage(executionId, afterSeq, limit),
  ]);
  return {
    execution: executionDto(execution),
    taskRuns: taskRuns.map(taskRunDto),
    logs: logs ?? [],
    lastSeq: Math.max(afterSeq, execution.lastSeq),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ExecutionFollowers {
  /** The last seq broadcast per execution: where a follower leaving the room resumes. */
  private readonly lastSent = new Map<string, number>();
  private readonly toCheck = new Set<string>();
  /** The current follow of each socket per execution; a newer subscribe or an unsubscribe ends the older one. */
  private readonly follows = new WeakMap<Socket, Map<string, symbol>>();

  constructor(
    private readonly io: { sockets: { adapter: { rooms: Map<string, Set<string>> }; sockets: Map<string, Socket> } },
    private readonly db: Db,
    private readonly persister: EventPersister,
  ) {}

  /** Notes a line just broadcast to the execution's room; its followers are checked once the current batch is out. */
  sent(log: LogDto): void {
    this.lastSent.set(log.executionId, log.seq);
    if (this.toCheck.size === 0) queueMicrotask(() => this.checkAll());
    this.toCheck.add(log.executionId);
  }

  /** The execution ended: its last lines were sent and checked, nothing more will come. */
  finished(executionId: string): void {
    if (this.toCheck.delete(executionId)) this.check(executionId);
    this.lastSent.delete(executionId);
  }

  /** Feeds `socket` every line after `afterSeq`, then the live stream. */
  follow(socket: Socket, executionId: string, afterSeq: number): void {
    const token = Symbol(executionId);
    let mine = this.follows.get(socket);
    if (!mine) {
      mine = new Map();
      this.follows.set(socket, mine);
    }
    mine.set(executionId, token);
    void socket.leave(executionRoom(executionId));
    const current = () => socket.connected && this.follows.get(socket)?.get(executionId) === token;
    this.catchUp(socket, executionId, afterSeq, current).catch((err: unknown) => {
      if (current()) socket.emit('subscribe:error', { error: err instanceof Error ? err.message : String(err), executionId });
    });
  }

  unfollow(socket: Socket, executionId: string): void {
    this.follows.get(socket)?.delete(executionId);
    void socket.leave(executionRoom(executionId));
  }

  private async catchUp(socket: Socket, executionId: string, afterSeq: number, current: () => boolean): Promise<void> {
    const notFound = () => socket.emit('subscribe:error', { error: `execution ${executionId} not found`, executionId });
    let after = afterSeq;
    for (;;) {
      await this.roomToBreathe(socket, current);
      if (!current()) return;
      // Full pages are read outside the queue: the run goes on storing meanwhile.
      const page = await this.persister.logPage(executionId, after, PAGE_LINES);
      if (!current()) return;
      if (!page) {
        notFound();
        return;
      }
      if (page.length === PAGE_LINES) {
        socket.emit('execution:logs', { executionId, logs: page });
        after = page[page.length - 1].seq;
        continue;
      }
      // Near the end: the rest and the join, in order with the stored events.
      const joined = await this.persister.exclusive(async () => {
        if (!current()) return true;
        const snapshot = await executionSnapshot(this.db, this.persister, executionId, after, PAGE_LINES);
        if (!snapshot) {
          notFound();
          return true;
        }
        if (snapshot.logs.length === PAGE_LINES) {
          // The run printed a page's worth since: send it and read on outside the queue.
          socket.emit('execution:logs', { executionId, logs: snapshot.logs });
          after = snapshot.logs[snapshot.logs.length - 1].seq;
          return false;
        }
        socket.emit('execution:snapshot', snapshot);
        await socket.join(executionRoom(executionId));
        return true;
      });
      if (joined) return;
    }
  }

  /** Waits until the socket's client has taken most of what it was sent (polling: engine.io has no event for the kernel's buffer). */
  private async roomToBreathe(socket: Socket, current: () => boolean): Promise<void> {
    let pause = 5;
    while (current() && pendingBytes(socket) > LOW_WATER_BYTES) {
      await sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  private checkAll(): void {
    const ids = [...this.toCheck];
    this.toCheck.clear();
    for (const id of ids) this.check(id);
  }

  /** Takes each follower of the execution that lags by more than the high-water mark out of the room. */
  private check(executionId: string): void {
    const room = this.io.sockets.adapter.rooms.get(executionRoom(executionId));
    if (!room) return;
    const resumeAfter = this.lastSent.get(executionId);
    if (resumeAfter === undefined) return;
    for (const socketId of [...room]) {
      const socket = this.io.sockets.sockets.get(socketId);
      if (socket && pendingBytes(socket) > HIGH_WATER_BYTES) this.follow(socket, executionId, resumeAfter);
    }
  }
}
