/**
 * Writes engine events to the database and, once written, hands their wire form to the
 * broadcaster: log lines get their gapless sequence number here, and `execution:finished`
 * leaves only after the execution's last line is stored. An execution is stored when its
 * events carry an origin (a notebook); one without (a test's bare engine run) is not.
 *
 * Events come a batch at a time (queue.ts). A batch folds into one transaction of the hot
 * writer: a task run's successive states become one write of its latest, an execution's
 * state changes and new lines one update with the last seq. Only once that transaction is
 * committed does anything of the batch reach the broadcaster, every event in its order.
 */
import type { ExecutionStateFields, HotBatch, HotWriter, StoredExecution, TaskRunStateRow } from '../db/hot-writer';
import { batchSize, emptyBatch } from '../db/hot-writer';
import type { EngineEvent, ExecutionSnapshot, LogLine, TaskRun } from '../engine';
import type { ExecutionDto, ExecutionFinishedPayload, LogDto } from '../contract';
import { isTerminal } from '../model/states';
import { executionDto, toJson } from './rows';
import type { BatchTaken } from './queue';

/** Where stored events go next (socket.io rooms in the server; a list in tests). */
export interface Broadcaster {
  log(log: LogDto): void;
  taskRun(taskRun: TaskRun): void;
  state(execution: ExecutionDto): void;
  finished(payload: ExecutionFinishedPayload): void;
  notebookExecution(notebookId: string, execution: ExecutionDto): void;
}

/** What the store keeps of an execution it is writing, until the execution ends. */
interface Open extends Omit<StoredExecution, 'cellHashes'> {
  id: string;
  cellHashes: Readonly<Record<string, { source: string; context: string }>>;
  /** Set by a terminal state: the record is dropped once its batch is written. */
  ended: boolean;
}

/** The executions a batch changes, each with its latest snapshot when an execution event changed it. */
type Touched = Map<Open, ExecutionSnapshot | undefined>;

/** One thing to send once the batch is stored, in event order; a log line as it is (the bulk of them, unwrapped). */
type Outgoing =
  | LogDto
  | { kind: 'taskRun'; taskRun: TaskRun }
  | { kind: 'state'; execution: ExecutionDto; notebook: boolean; finished?: number };

/** ISO-8601 in the form the database gives back (milliseconds, `Z`). */
function iso(text: string): string;
function iso(text: string | undefined): string | undefined;
function iso(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // The engine's own timestamps are already in this form: skip the Date round trip for them.
  return text.length === 24 && text.endsWith('Z') && text[10] === 'T' ? text : new Date(text).toISOString();
}

function stateFields(s: ExecutionSnapshot): ExecutionStateFields {
  return {
    state: s.state,
    labels: toJson(s.labels),
    inputs: toJson(s.inputs),
    startDate: iso(s.startDate),
    endDate: iso(s.endDate) ?? null,
    error: s.error ?? null,
  };
}

/** Outputs as stored, and as a reload reads them back: bigints (DuckDB, PostgreSQL int8) become strings. */
function storedJson(value: Record<string, unknown>): { text: string; value: Record<string, unknown> } {
  try {
    // Without a replacer JSON.stringify takes its fast path; only a bigint makes it throw.
    return { text: JSON.stringify(value), value };
  } catch {
    const text = toJson(value);
    // Parsed again so the socket, which sends JSON and cannot carry a bigint, gets the strings.
    return { text, value: JSON.parse(text) as Record<string, unknown> };
  }
}

function executionOf(o: Outgoing): string {
  return !('kind' in o) ? o.executionId : o.kind === 'taskRun' ? o.taskRun.executionId : o.execution.id;
}

function parseHashes(text: string): Open['cellHashes'] {
  try {
    return JSON.parse(text) as Open['cellHashes'];
  } catch {
    return {};
  }
}

export class EventStore {
  /** Ends once the latest batch taken is stored and sent (never rejects). */
  private tail: Promise<void> = Promise.resolve();
  /** Ends once the latest batch's write is over, committed or not (never rejects). */
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly open = new Map<string, Open>();
  /** Executions seen without an origin: they belong to no notebook and are not stored. */
  private readonly foreign = new Set<string>();

  constructor(
    private readonly hot: HotWriter,
    public broadcaster: Broadcaster,
  ) {}

  /** Stores a batch of events in one transaction, then broadcasts them in order. */
  async store(events: readonly EngineEvent[]): Promise<void> {
    await (await this.take(events)).done;
  }

  /**
   * Takes a batch: numbers its lines, folds it and starts its write, which follows the
   * write of the batch before (one transaction at a time, in order, on either database).
   * Resolves once the next batch may be taken; `done` resolves once this one is stored and
   * sent, after the batch before it was sent. Should a write fail, a batch taken after it
   * is already numbered: at most MAX_BATCHES_IN_FLIGHT - 1 batches' lines of the same
   * execution may then be stored past a hole, where the lines of the failed batch are missing.
   */
  async take(events: readonly EngineEvent[]): Promise<BatchTaken> {
    // Reading what is stored (an execution this store has not opened) must see every
    // earlier batch committed: the PostgreSQL writer reads through other connections.
    if (this.opensSomething(events)) await this.tail;
    await this.learn(events);
    const batch = emptyBatch();
    const outgoing: Outgoing[] = [];
    const taskRuns = new Map<string, TaskRunStateRow>();
    const touched: Touched = new Map();
    for (const e of events) {
      if (e.kind === 'log') this.foldLog(e.log, batch, outgoing, touched);
      else if (e.kind === 'taskrun') this.foldTaskRun(e.taskRun, taskRuns, outgoing);
      else if (e.kind === 'execution') this.foldExecution(e.execution, batch, outgoing, touched);
    }
    batch.taskRuns = [...taskRuns.values()];
    for (const [record, snapshot] of touched) batch.executions.push({ id: record.id, lastSeq: record.lastSeq, state: snapshot ? stateFields(snapshot) : null });
    const previousSent = this.tail;
    const written = batchSize(batch) > 0 ? this.lastWrite.then(() => this.hot.write(batch)) : Promise.resolve();
    this.lastWrite = written.catch(() => undefined);
    const done = (async () => {
      let failure: { err: unknown } | undefined;
      try {
        await written;
      } catch (err) {
        failure = { err };
      }
      await previousSent;
      try {
        if (failure) await this.salvage(batch, outgoing, failure.err);
        else this.send(outgoing);
      } catch (err) {
        console.error('flowbook: sending stored events failed:', err);
      } finally {
        // An ended execution's record goes: a later event of it reads its row again.
        for (const record of touched.keys()) if (record.ended && this.open.get(record.id) === record) this.open.delete(record.id);
      }
    })();
    this.tail = done;
    return { done };
  }

  /** Whether the batch names an execution this store has no record of yet. */
  private opensSomething(events: readonly EngineEvent[]): boolean {
    for (const e of events) {
      const id = e.kind === 'execution' ? e.execution.id : e.kind === 'taskrun' ? e.taskRun.executionId : e.kind === 'log' ? e.log.executionId : undefined;
      if (id !== undefined && !this.open.has(id) && !this.foreign.has(id)) return true;
    }
    return false;
  }

  /**
   * A batch failed as a whole (an execution deleted while it ran, say): each execution's part
   * is tried on its own so one bad execution costs the others nothing. A part that fails
   * again is reported and its record dropped, so the execution's next lines number on from
   * what is stored, gapless.
   */
  private async salvage(batch: HotBatch, outgoing: readonly Outgoing[], cause: unknown): Promise<void> {
    const ids = new Set([...batch.created.map((e) => e.id), ...batch.taskRuns.map((t) => t.executionId), ...batch.logs.map((l) => l.executionId), ...batch.executions.map((e) => e.id)]);
    if (ids.size === 1) {
      this.dropAfterFailure([...ids][0], cause);
      return;
    }
    for (const id of ids) {
      const part: HotBatch = {
        created: batch.created.filter((e) => e.id === id),
        taskRuns: batch.taskRuns.filter((t) => t.executionId === id),
        logs: batch.logs.filter((l) => l.executionId === id),
        executions: batch.executions.filter((e) => e.id === id),
      };
      try {
        await this.hot.write(part);
        this.send(outgoing.filter((o) => executionOf(o) === id));
      } catch (err) {
        this.dropAfterFailure(id, err);
      }
    }
  }

  private dropAfterFailure(executionId: string, err: unknown): void {
    this.open.delete(executionId);
    console.error(`flowbook: storing events of execution ${executionId} failed:`, err);
  }

  private send(outgoing: readonly Outgoing[]): void {
    const b = this.broadcaster;
    for (const o of outgoing) {
      if (!('kind' in o)) b.log(o);
      else if (o.kind === 'taskRun') b.taskRun(o.taskRun);
      else {
        b.state(o.execution);
        if (o.notebook) b.notebookExecution(o.execution.notebookId, o.execution);
        if (o.finished !== undefined) b.finished({ execution: o.execution, lastSeq: o.finished });
      }
    }
  }

  /** The wire form of an execution at this event, as a reload reads it from its row. */
  private dto(record: Open, s: ExecutionSnapshot): ExecutionDto {
    const fields = stateFields(s);
    return executionDto({
      id: s.id,
      notebookId: record.notebookId,
      namespace: record.namespace,
      flowId: record.flowId,
      mode: record.mode,
      targetTaskId: record.targetTaskId,
      triggerId: record.triggerId,
      triggerDate: record.triggerDate === null ? null : new Date(record.triggerDate),
      lastSeq: record.lastSeq,
      state: fields.state,
      labels: fields.labels,
      inputs: fields.inputs,
      startDate: new Date(fields.startDate),
      endDate: fields.endDate === null ? null : new Date(fields.endDate),
      error: fields.error,
    });
  }

  /** Opens the records of executions this batch names that the store does not know yet. */
  private async learn(events: readonly EngineEvent[]): Promise<void> {
    const unknown = new Set<string>();
    for (const e of events) {
      const id = e.kind === 'execution' ? e.execution.id : e.kind === 'taskrun' ? e.taskRun.executionId : e.kind === 'log' ? e.log.executionId : undefined;
      if (id !== undefined && !this.open.has(id) && !this.foreign.has(id)) unknown.add(id);
    }
    for (const id of unknown) {
      const stored = await this.hot.load(id);
      if (stored) this.open.set(id, { ...stored, id, cellHashes: parseHashes(stored.cellHashes), ended: false });
    }
  }

  private foldExecution(s: ExecutionSnapshot, batch: HotBatch, outgoing: Outgoing[], touched: Touched): void {
    if (this.foreign.has(s.id)) {
      if (isTerminal(s.state)) this.foreign.delete(s.id);
      return;
    }
    let record = this.open.get(s.id);
    let isNew = false;
    if (!record) {
      const origin = s.origin;
      if (!origin) {
        if (!isTerminal(s.state)) this.foreign.add(s.id);
        return;
      }
      record = {
        id: s.id,
        notebookId: origin.notebookId,
        namespace: s.namespace,
        flowId: s.flowId,
        mode: origin.mode,
        targetTaskId: origin.targetTaskId ?? null,
        triggerId: origin.trigger?.id ?? null,
        triggerDate: origin.trigger ? iso(origin.trigger.date) : null,
        cellHashes: origin.cellHashes,
        lastSeq: 0,
        taskRuns: new Map(),
        ended: false,
      };
      this.open.set(s.id, record);
      batch.created.push({
        id: s.id,
        notebookId: record.notebookId,
        namespace: s.namespace,
        flowId: s.flowId,
        state: s.state,
        mode: record.mode,
        targetTaskId: record.targetTaskId,
        labels: toJson(s.labels),
        inputs: toJson(s.inputs),
        flowYaml: origin.flowYaml,
        cellHashes: toJson(origin.cellHashes),
        triggerId: record.triggerId,
        triggerDate: record.triggerDate,
        startDate: iso(s.startDate),
      });
      isNew = true;
    }
    touched.set(record, s);
    const terminal = isTerminal(s.state);
    if (terminal) record.ended = true;
    outgoing.push({ kind: 'state', execution: this.dto(record, s), notebook: isNew || terminal, finished: terminal ? record.lastSeq : undefined });
  }

  private foldTaskRun(t: TaskRun, taskRuns: Map<string, TaskRunStateRow>, outgoing: Outgoing[]): void {
    const record = this.open.get(t.executionId);
    if (!record) return;
    let ord = record.taskRuns.get(t.id);
    if (ord === undefined) {
      ord = record.taskRuns.size + 1;
      record.taskRuns.set(t.id, ord);
    }
    const hashes = record.cellHashes[t.taskId];
    const outputs = t.outputs === undefined ? undefined : storedJson(t.outputs);
    const details = t.details === undefined ? null : toJson(t.details);
    const startDate = iso(t.startDate) ?? null;
    const endDate = iso(t.endDate) ?? null;
    // Later states replace earlier ones of the same batch: events come in order, the last is the newest.
    taskRuns.set(t.id, {
      id: t.id,
      executionId: t.executionId,
      taskId: t.taskId,
      ord,
      sourceHash: hashes?.source ?? null,
      contextHash: hashes?.context ?? null,
      state: t.state,
      attempt: t.attempt,
      parentTaskRunId: t.parentTaskRunId ?? null,
      value: t.value ?? null,
      iteration: t.iteration ?? null,
      startDate,
      endDate,
      outputs: outputs?.text ?? null,
      details,
      error: t.error ?? null,
    });
    outgoing.push({
      kind: 'taskRun',
      // As a reload reads it back: dates normalised, outputs through their stored JSON (bigints as strings).
      taskRun: {
        id: t.id,
        executionId: t.executionId,
        taskId: t.taskId,
        parentTaskRunId: t.parentTaskRunId,
        value: t.value,
        iteration: t.iteration,
        state: t.state,
        attempt: t.attempt,
        startDate: startDate ?? undefined,
        endDate: endDate ?? undefined,
        outputs: outputs?.value,
        details: t.details,
        error: t.error,
      },
    });
  }

  private foldLog(l: LogLine, batch: HotBatch, outgoing: Outgoing[], touched: Touched): void {
    const record = this.open.get(l.executionId);
    if (!record) return;
    const line: LogDto = { seq: ++record.lastSeq, executionId: l.executionId, taskRunId: l.taskRunId, taskId: l.taskId, level: l.level, message: l.message, at: iso(l.at) };
    batch.logs.push(line);
    if (!touched.has(record)) touched.set(record, undefined);
    outgoing.push(line);
  }
}
