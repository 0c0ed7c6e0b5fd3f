/**
 * Writes engine events to the database and, once written, hands their wire form to the
 * broadcaster: log lines get their gapless sequence number here, and `execution:finished`
 * leaves only after the execution's last line is stored. An execution is stored when its
 * events carry an origin (a notebook); one without (a test's bare engine run) is not.
 */
import type { Db } from '../db/client';
import { insertLogLines } from '../db/log-lines';
import type { ExecutionOrigin, ExecutionSnapshot, LogLine, TaskRun } from '../engine';
import type { ExecutionDto, ExecutionFinishedPayload, LogDto } from '../contract';
import { isTerminal } from '../model/states';
import { executionDto, logDto, taskRunDto, toJson } from './rows';

/** Where stored events go next (socket.io rooms in the server; a list in tests). */
export interface Broadcaster {
  log(log: LogDto): void;
  taskRun(taskRun: TaskRun): void;
  state(execution: ExecutionDto): void;
  finished(payload: ExecutionFinishedPayload): void;
  notebookExecution(notebookId: string, execution: ExecutionDto): void;
}

/** What the store keeps of an execution it is writing, until the execution ends. */
interface Open {
  lastSeq: number;
  taskRuns: number;
  origin?: ExecutionOrigin;
}

export class EventStore {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly db: Db,
    public broadcaster: Broadcaster,
  ) {}

  /** The execution's open record, creating its row on first sight; undefined when it belongs to no notebook. */
  private async ensure(id: string, snapshot?: ExecutionSnapshot): Promise<Open | undefined> {
    const known = this.open.get(id);
    if (known) return known;
    const existing = await this.db.execution.findUnique({ where: { id }, select: { lastSeq: true } });
    if (existing) {
      const taskRuns = await this.db.taskRun.count({ where: { executionId: id } });
      const record: Open = { lastSeq: existing.lastSeq, taskRuns, origin: snapshot?.origin };
      this.open.set(id, record);
      return record;
    }
    const origin = snapshot?.origin;
    if (!snapshot || !origin) return undefined;
    await this.db.execution.create({
      data: {
        id,
        notebookId: origin.notebookId,
        namespace: snapshot.namespace,
        flowId: snapshot.flowId,
        state: snapshot.state,
        mode: origin.mode,
        targetTaskId: origin.targetTaskId ?? null,
        labels: toJson(snapshot.labels),
        inputs: toJson(snapshot.inputs),
        flowYaml: origin.flowYaml,
        cellHashes: toJson(origin.cellHashes),
        triggerId: origin.trigger?.id ?? null,
        triggerDate: origin.trigger ? new Date(origin.trigger.date) : null,
        startDate: new Date(snapshot.startDate),
      },
    });
    const record: Open = { lastSeq: 0, taskRuns: 0, origin };
    this.open.set(id, record);
    return record;
  }

  async execution(s: ExecutionSnapshot): Promise<void> {
    const isNew = !this.open.has(s.id);
    if (!(await this.ensure(s.id, s))) return;
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
      this.open.delete(s.id);
    }
  }

  async taskRun(t: TaskRun): Promise<void> {
    const record = await this.ensure(t.executionId);
    if (!record) return;
    const hashes = record.origin?.cellHashes[t.taskId];
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
    const ord = record.taskRuns + 1;
    const row = await this.db.taskRun.upsert({
      where: { id: t.id },
      create: { id: t.id, executionId: t.executionId, taskId: t.taskId, ord, sourceHash: hashes?.source ?? null, contextHash: hashes?.context ?? null, ...fields },
      update: fields,
    });
    if (row.ord === ord) record.taskRuns = ord;
    this.broadcaster.taskRun(taskRunDto(row));
  }

  async logs(lines: readonly LogLine[]): Promise<void> {
    const byExecution = new Map<string, LogLine[]>();
    for (const l of lines) {
      const group = byExecution.get(l.executionId);
      if (group) group.push(l);
      else byExecution.set(l.executionId, [l]);
    }
    for (const [executionId, group] of byExecution) {
      const record = await this.ensure(executionId);
      if (!record) continue;
      const start = record.lastSeq;
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
      record.lastSeq = last;
      for (const r of rows) this.broadcaster.log(logDto({ id: 0, ...r }));
    }
  }
}
