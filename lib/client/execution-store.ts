/**
 * Live state of the executions a page watches, fed by socket.io. Each watched execution
 * keeps its last seq; when the socket reconnects, every watched execution is subscribed
 * again from that seq, so the database fills the gap and nothing shows twice. A long log
 * arrives as catch-up pages (`execution:logs`) before the snapshot, on subscribe and
 * whenever the page reads slower than the run prints.
 */
import type { Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ExecutionDto,
  ServerToClientEvents,
  TaskRun,
} from '@/lib/contract';
import { isTerminal } from '@/lib/model/states';
import { appendLogs, emptyLogBuffer, type LogBuffer } from './log-buffer';

export type FlowbookSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * What happened to one execution, as a follower hears it. Log lines are not among them:
 * they stay in the store's buffer, which the log views read directly.
 */
export type ExecutionEvent =
  | { type: 'snapshot'; execution: ExecutionDto; taskRuns: readonly TaskRun[] }
  | { type: 'taskrun'; taskRun: TaskRun }
  | { type: 'state'; execution: ExecutionDto }
  | { type: 'finished'; execution: ExecutionDto };

type Follower = (event: ExecutionEvent) => void;

export interface ExecutionLive {
  execution?: ExecutionDto;
  /** Latest snapshot per task run id. */
  taskRuns: Map<string, TaskRun>;
  logs: LogBuffer;
  /** True once the snapshot arrived (before that, an empty log means "loading"). */
  loaded: boolean;
  finished: boolean;
  error?: string;
  /** Bumps on every change so React can compare snapshots cheaply. */
  version: number;
}

type Listener = () => void;

export class ExecutionStore {
  private live = new Map<string, ExecutionLive>();
  private listeners = new Map<string, Set<Listener>>();
  private followers = new Map<string, Set<Follower>>();
  /** Events for followers, handed over with the next coalesced change. */
  private outbox: { executionId: string; event: ExecutionEvent }[] = [];
  private pending = new Set<string>();
  private frame: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly socket: FlowbookSocket) {
    socket.on('connect', () => {
      for (const [executionId, entry] of this.live) {
        if (!entry.finished) socket.emit('execution:subscribe', { executionId, afterSeq: entry.logs.lastSeq });
      }
    });
    socket.on('execution:snapshot', (p) => {
      const entry = this.entry(p.execution.id);
      entry.execution = p.execution;
      for (const tr of p.taskRuns) entry.taskRuns.set(tr.id, tr);
      appendLogs(entry.logs, p.logs);
      entry.loaded = true;
      if (isTerminal(p.execution.state) && p.lastSeq <= entry.logs.lastSeq) entry.finished = true;
      this.tell(p.execution.id, { type: 'snapshot', execution: p.execution, taskRuns: p.taskRuns });
      this.changed(p.execution.id);
    });
    // A catch-up page: lines that follow on from the last one this socket was sent.
    socket.on('execution:logs', (p) => {
      const entry = this.live.get(p.executionId);
      if (!entry) return;
      if (appendLogs(entry.logs, p.logs) > 0) this.changed(p.executionId);
    });
    socket.on('execution:log', (log) => {
      const entry = this.live.get(log.executionId);
      if (!entry) return;
      if (appendLogs(entry.logs, [log]) > 0) this.changed(log.executionId);
    });
    socket.on('execution:taskrun', (tr) => {
      const entry = this.live.get(tr.executionId);
      if (!entry) return;
      entry.taskRuns.set(tr.id, tr);
      this.tell(tr.executionId, { type: 'taskrun', taskRun: tr });
      this.changed(tr.executionId);
    });
    socket.on('execution:state', (ex) => {
      const entry = this.live.get(ex.id);
      if (!entry) return;
      entry.execution = ex;
      this.tell(ex.id, { type: 'state', execution: ex });
      this.changed(ex.id);
    });
    socket.on('execution:finished', (p) => {
      const entry = this.live.get(p.execution.id);
      if (!entry) return;
      entry.execution = p.execution;
      entry.finished = true;
      this.tell(p.execution.id, { type: 'finished', execution: p.execution });
      this.changed(p.execution.id);
    });
    socket.on('subscribe:error', (p) => {
      if (!p.executionId) return;
      const entry = this.live.get(p.executionId);
      if (!entry) return;
      entry.error = p.error;
      entry.loaded = true;
      this.changed(p.executionId);
    });
  }

  /** Starts watching (idempotent). The snapshot brings everything stored so far. */
  watch(executionId: string): void {
    if (this.live.has(executionId)) return;
    this.entry(executionId);
    if (this.socket.connected) this.socket.emit('execution:subscribe', { executionId, afterSeq: 0 });
    // Not connected yet: the 'connect' handler subscribes every watched execution.
  }

  get(executionId: string): ExecutionLive | undefined {
    return this.live.get(executionId);
  }

  subscribe(executionId: string, listener: Listener): () => void {
    let set = this.listeners.get(executionId);
    if (!set) {
      set = new Set();
      this.listeners.set(executionId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Watches an execution and hands each change to `follower` as an event, starting with
   * what is already known as a snapshot, so a follower that comes late (the execution was
   * watched by a log view first) misses nothing. Events arrive in coalesced batches.
   */
  follow(executionId: string, follower: Follower): () => void {
    this.watch(executionId);
    const entry = this.entry(executionId);
    if (entry.execution) {
      follower({ type: 'snapshot', execution: entry.execution, taskRuns: [...entry.taskRuns.values()] });
      if (entry.finished) follower({ type: 'finished', execution: entry.execution });
    }
    let set = this.followers.get(executionId);
    if (!set) {
      set = new Set();
      this.followers.set(executionId, set);
    }
    set.add(follower);
    return () => set.delete(follower);
  }

  private tell(executionId: string, event: ExecutionEvent): void {
    if (this.followers.get(executionId)?.size) this.outbox.push({ executionId, event });
  }

  private entry(executionId: string): ExecutionLive {
    let entry = this.live.get(executionId);
    if (!entry) {
      entry = { taskRuns: new Map(), logs: emptyLogBuffer(), loaded: false, finished: false, version: 0 };
      this.live.set(executionId, entry);
    }
    return entry;
  }

  /** Coalesces bursts (thousands of lines a second) into one render per ~frame. */
  private changed(executionId: string): void {
    const entry = this.live.get(executionId);
    if (entry) entry.version++;
    this.pending.add(executionId);
    if (this.frame !== null) return;
    this.frame = setTimeout(() => {
      this.frame = null;
      const ids = [...this.pending];
      this.pending.clear();
      const events = this.outbox;
      this.outbox = [];
      for (const { executionId, event } of events) for (const f of this.followers.get(executionId) ?? []) f(event);
      for (const id of ids) for (const l of this.listeners.get(id) ?? []) l();
    }, 16);
  }
}
