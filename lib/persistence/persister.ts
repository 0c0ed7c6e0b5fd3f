/**
 * Stores every engine event and only then tells the browsers, through one serialized
 * queue: log lines get their sequence number here, in order, and `execution:finished`
 * leaves only after the execution's last line is in the database. Subscriptions run
 * their snapshot inside the same queue, so a snapshot and the live events that follow
 * it neither overlap nor leave a gap.
 */
import type { Db } from '../db/client';
import { insertLogLines } from '../db/log-lines';
import type { EngineEvent, EventBus, ExecutionSnapshot, LogLine, TaskRun } from '../engine/events';
import type { ExecutionDto, ExecutionFinishedPayload, LogDto, RunModeKind } from '../contract';
import { isTerminal } from '../model/states';
import { executionDto, logDto, taskRunDto, toJson } from './rows';

/** What the app knows about an execution before the engine reports it. */
export interface ExecutionMeta {
  notebookId: string;
  mode: RunModeKind;
  targetTaskId?: string;
  flowYaml: string;
  /** taskId → hashes of the task and the flow parts it uses, at run time. */
  cellHashes: Record<string, { source: string; context: string }>;
}

/** Where stored events go next (socket.io rooms in the server; a list in tests). */
export interface Broadcaster {
  log(log: LogDto): void;
  taskRun(taskRun: TaskRun): void;
  state(execution: ExecutionDto): void;
  finished(payload: ExecutionFinishedPayload): void;
  notebookExecution(notebookId: string, execution: ExecutionDto): void;
}

type Item = { kind: 'event'; event: EngineEvent } | { kind: 'job'; run: () => Promise<void>; done: (err?: unknown) => void };

export class EventPersister {
  private readonly meta = new Map<string, ExecutionMeta>();
  private readonly lastSeq = new Map<string, number>();
  private readonly known = new Set<string>();
  private readonly taskRunCount = new Map<string, number>();
  private readonly items: Item[] = [];
  private draining: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private broadcaster: Broadcaster,
  ) {}

  setBroadcaster(b: Broadcaster): void {
    this.broadcaster = b;
  }

  register(executionId: string, meta: ExecutionMeta): void {
    this.meta.set(executionId, meta);
  }

  forget(executionId: string): void {
    this.meta.delete(executionId);
  }

  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.push({ kind: 'event', event }));
  }

  /** Runs `fn` in order with the stored events (nothing is stored or sent meanwhile). */
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

  /** Resolves once everything queued so far is stored and sent. */
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
        if (item.event.kind === 'log') {
          // Consecutive lines go in one insert: a chatty task must not cost a round trip per line.
          const lines: LogLine[] = [];
          while (i < batch.length) {
            const it = batch[i];
            if (it.kind !== 'event' || it.event.kind !== 'log') break;
            lines.push(it.event.log);
            i++;
          }
          await this.guard('storing log lines', () => this.storeLogs(lines));
          continue;
        }
        const event = item.event;
        i++;
        if (event.kind === 'execution') await this.guard(`storing execution ${event.execution.id}`, () => this.storeExecution(event.execution));
        else if (event.kind === 'taskrun') await this.guard(`storing task run ${event.taskRun.id}`, () => this.storeTaskRun(event.taskRun));
      }
    }
    this.draining = undefined;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  private async guard(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // One failed write must not stop the queue: later events still get stored and sent.
      console.error(`flowbook: ${what} failed:`, err);
    }
  }

  /** Creates the execution row on first sight; false when it belongs to no notebook. */
  private async ensureExecution(snapshot: Pick<ExecutionSnapshot, 'id'> & Partial<ExecutionSnapshot>): Promise<boolean> {
    if (this.known.has(snapshot.id)) return true;
    const existing = await this.db.execution.findUnique({ where: { id: snapshot.id }, select: { lastSeq: true } });
    if (existing) {
      this.known.add(snapshot.id);
      this.lastSeq.set(snapshot.id, existing.lastSeq);
      return true;
    }
    const meta = this.meta.get(snapshot.id);
    if (!meta || !snapshot.namespace || !snapshot.flowId) return false;
    await this.db.execution.create({
      data: {
        id: snapshot.id,
        notebookId: meta.notebookId,
        namespace: snapshot.namespace,
        flowId: snapshot.flowId,
        state: snapshot.state ?? 'CREATED',
        mode: meta.mode,
        targetTaskId: meta.targetTaskId ?? null,
        labels: toJson(snapshot.labels ?? {}),
        inputs: toJson(snapshot.inputs ?? {}),
        flowYaml: meta.flowYaml,
        cellHashes: toJson(meta.cellHashes),
        startDate: new Date(snapshot.startDate ?? Date.now()),
      },
    });
    this.known.add(snapshot.id);
    this.lastSeq.set(snapshot.id, 0);
    return true;
  }

  private async storeExecution(s: ExecutionSnapshot): Promise<void> {
    const isNew = !this.known.has(s.id);
    if (!(await this.ensureExecution(s))) return;
    const row = await this.db.execution.update({
      where: { id: s.id },
      data: {
        state: s.state,
        labels: toJson(s.labels),
        inputs: toJson(s.inputs),
        startDate: new Date(s.startDate),
        endDate: s.endDate ? new Date(s.endDate) : null,
        error: s.error ?? null,
      },
    });
    const dto = executionDto(row);
    this.broadcaster.state(dto);
    if (isNew || isTerminal(s.state)) this.broadcaster.notebookExecution(row.notebookId, dto);
    if (isTerminal(s.state)) {
      this.broadcaster.finished({ execution: dto, lastSeq: row.lastSeq });
      this.meta.delete(s.id);
      this.known.delete(s.id);
      this.lastSeq.delete(s.id);
      this.taskRunCount.delete(s.id);
    }
  }

  private async storeTaskRun(t: TaskRun): Promise<void> {
    if (!(await this.ensureExecution({ id: t.executionId }))) return;
    const hashes = this.meta.get(t.executionId)?.cellHashes[t.taskId];
    const fields = {
      state: t.state,
      attempt: t.attempt,
      parentTaskRunId: t.parentTaskRunId ?? null,
      value: t.value ?? null,
      iteration: t.iteration ?? null,
      startDate: t.startDate ? new Date(t.startDate) : null,
      endDate: t.endDate ? new Date(t.endDate) : null,
      outputs: t.outputs === undefined ? null : toJson(t.outputs),
      details: t.details === undefined ? null : toJson(t.details),
      error: t.error ?? null,
    };
    const ord = (this.taskRunCount.get(t.executionId) ?? (await this.db.taskRun.count({ where: { executionId: t.executionId } }))) + 1;
    const row = await this.db.taskRun.upsert({
      where: { id: t.id },
      create: { id: t.id, executionId: t.executionId, taskId: t.taskId, ord, sourceHash: hashes?.source ?? null, contextHash: hashes?.context ?? null, ...fields },
      update: fields,
    });
    if (row.ord === ord) this.taskRunCount.set(t.executionId, ord);
    this.broadcaster.taskRun(taskRunDto(row));
  }

  private async storeLogs(lines: LogLine[]): Promise<void> {
    const byExecution = new Map<string, LogLine[]>();
    for (const l of lines) byExecution.set(l.executionId, [...(byExecution.get(l.executionId) ?? []), l]);
    for (const [executionId, group] of byExecution) {
      if (!(await this.ensureExecution({ id: executionId }))) continue;
      const start = this.lastSeq.get(executionId) ?? 0;
      const rows = group.map((l, k) => ({
        executionId,
        seq: start + k + 1,
        taskRunId: l.taskRunId ?? null,
        taskId: l.taskId ?? null,
        level: l.level,
        message: l.message,
        at: new Date(l.at),
      }));
      const last = start + rows.length;
      await this.db.$transaction([
        ...insertLogLines(this.db, rows),
        this.db.execution.update({ where: { id: executionId }, data: { lastSeq: last } }),
      ]);
      this.lastSeq.set(executionId, last);
      for (const r of rows) this.broadcaster.log(logDto({ id: 0, ...r }));
    }
  }
}

/** Executions a crash left running are KILLED at start, with a line saying why. */
export async function killOrphanedExecutions(db: Db): Promise<string[]> {
  const orphans = await db.execution.findMany({ where: { state: { in: ['CREATED', 'QUEUED', 'RUNNING'] } } });
  const now = new Date();
  for (const e of orphans) {
    await db.$transaction([
      db.taskRun.updateMany({ where: { executionId: e.id, state: { in: ['CREATED', 'QUEUED', 'RUNNING'] } }, data: { state: 'KILLED', endDate: now } }),
      db.logLine.create({
        data: { executionId: e.id, seq: e.lastSeq + 1, level: 'ERROR', message: 'execution KILLED: the Flowbook server stopped while it was running', at: now },
      }),
      db.execution.update({ where: { id: e.id }, data: { state: 'KILLED', endDate: now, lastSeq: e.lastSeq + 1, error: 'the server stopped while this execution was running' } }),
    ]);
  }
  return orphans.map((e) => e.id);
}
