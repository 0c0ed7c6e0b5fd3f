/**
 * A task's two output streams on their way to the task: split into lines, each line capped,
 * and the whole output capped. Both runners feed their bytes through one of these, so what the
 * server holds of a task's output is bounded whatever the task prints: at most one cut line
 * per stream while it is being read, and nothing at all once the task's log is full (the rest
 * is read, so the task never blocks on a full pipe, and counted for the closing marker).
 */
import { LINE_OVERHEAD_BYTES, type RunnerLimits } from '../config/runner-limits';
import { LineSplitter } from './process/line-splitter';
import type { RunnerRequest } from './types';

export class TaskOutput {
  private readonly out: LineSplitter;
  private readonly err: LineSplitter;
  private used = 0;
  private full = false;
  private droppedLines = 0;
  private droppedBytes = 0;

  constructor(
    private readonly request: Pick<RunnerRequest, 'onLine' | 'log'>,
    private readonly limits: Pick<RunnerLimits, 'logLineMaxBytes' | 'taskLogMaxBytes'>,
  ) {
    this.out = new LineSplitter((line, bytes) => this.offer('stdout', line, bytes), limits.logLineMaxBytes);
    this.err = new LineSplitter((line, bytes) => this.offer('stderr', line, bytes), limits.logLineMaxBytes);
  }

  stdout(chunk: Buffer): void {
    if (this.full) this.count(chunk);
    else this.out.push(chunk);
  }

  stderr(chunk: Buffer): void {
    if (this.full) this.count(chunk);
    else this.err.push(chunk);
  }

  /** The streams ended: last partial lines, then how much was not kept, if anything. */
  end(): void {
    this.out.end();
    this.err.end();
    if (this.full) {
      this.request.log(
        'WARN',
        `output not kept: ${this.droppedBytes.toLocaleString('en-US')} more bytes${this.droppedLines > 0 ? ` (${this.droppedLines.toLocaleString('en-US')} lines or more)` : ''} after the log of this task reached ${formatSize(this.limits.taskLogMaxBytes)} (FLOWBOOK_TASK_LOG_MAX_BYTES)`,
      );
    }
  }

  private offer(stream: 'stdout' | 'stderr', line: string, bytes: number): void {
    if (this.full) {
      this.droppedLines++;
      this.droppedBytes += bytes;
      return;
    }
    const cost = bytes + LINE_OVERHEAD_BYTES;
    if (this.used + cost > this.limits.taskLogMaxBytes) {
      this.full = true;
      this.droppedLines++;
      this.droppedBytes += bytes;
      this.request.log('WARN', `log cut: this task's log reached ${formatSize(this.limits.taskLogMaxBytes)} (FLOWBOOK_TASK_LOG_MAX_BYTES); the task goes on, its further output is read and counted but not kept`);
      return;
    }
    this.used += cost;
    this.request.onLine({ stream, line });
  }

  /** Past the limit, bytes are only counted; newlines give a lower bound on the lines dropped. */
  private count(chunk: Buffer): void {
    this.droppedBytes += chunk.length;
    let at = chunk.indexOf(0x0a);
    while (at >= 0) {
      this.droppedLines++;
      at = chunk.indexOf(0x0a, at + 1);
    }
  }
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}
