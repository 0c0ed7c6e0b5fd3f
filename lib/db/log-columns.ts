/**
 * A batch's log lines column by column, the form in which they cross to the SQLite writer's
 * thread. A structured clone of an array of objects serialises every line's property names
 * and rebuilds an object per line on the other side, about 1 µs a line each way (more than
 * SQLite takes to insert it); a few arrays clone in a fraction of that. The strings lines
 * share (execution id, task-run id, task id, level, and the timestamp, formatted once per
 * millisecond) go once into a table, and each line holds their indexes.
 */
import type { LogLineRow } from './hot-writer';
import type { LogLevel } from '../model/log';

/** Where a line has no task run (an execution-level line), its refs hold NONE. */
export const NONE = -1;

export interface LogColumns {
  length: number;
  /** The distinct shared strings the refs below point at. */
  strings: string[];
  executionId: Int32Array;
  seq: Float64Array;
  taskRunId: Int32Array;
  taskId: Int32Array;
  level: Int32Array;
  at: Int32Array;
  message: string[];
}

/**
 * Numbers strings as they come. Lines in a row mostly repeat the line before's strings,
 * often the very same string objects, so an identity check against the last string of each
 * column settles most of them before the map is asked.
 */
class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(s: string): number {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.strings.length;
      this.strings.push(s);
      this.index.set(s, k);
    }
    return k;
  }
}

/** One column's refs, remembering the last string so a run of equal strings costs a comparison each. */
function refColumn(table: StringTable, length: number) {
  const refs = new Int32Array(length);
  let last: string | undefined;
  let lastRef = NONE;
  return {
    refs,
    set(i: number, s: string | undefined): void {
      if (s === undefined) refs[i] = NONE;
      else if (s === last) refs[i] = lastRef;
      else {
        last = s;
        lastRef = refs[i] = table.ref(s);
      }
    },
  };
}

export function toLogColumns(rows: readonly LogLineRow[]): LogColumns {
  const n = rows.length;
  const table = new StringTable();
  const executionId = refColumn(table, n);
  const taskRunId = refColumn(table, n);
  const taskId = refColumn(table, n);
  const level = refColumn(table, n);
  const at = refColumn(table, n);
  const seq = new Float64Array(n);
  const message: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    executionId.set(i, r.executionId);
    taskRunId.set(i, r.taskRunId);
    taskId.set(i, r.taskId);
    level.set(i, r.level);
    at.set(i, r.at);
    seq[i] = r.seq;
    message[i] = r.message;
  }
  return {
    length: n,
    strings: table.strings,
    executionId: executionId.refs,
    seq,
    taskRunId: taskRunId.refs,
    taskId: taskId.refs,
    level: level.refs,
    at: at.refs,
    message,
  };
}

/** The lines as rows again, each as `toLogColumns` took it. */
export function fromLogColumns(c: LogColumns): LogLineRow[] {
  const { strings } = c;
  const rows: LogLineRow[] = new Array<LogLineRow>(c.length);
  for (let i = 0; i < c.length; i++) {
    const taskRun = c.taskRunId[i];
    const task = c.taskId[i];
    rows[i] = {
      executionId: strings[c.executionId[i]],
      seq: c.seq[i],
      taskRunId: taskRun === NONE ? undefined : strings[taskRun],
      taskId: task === NONE ? undefined : strings[task],
      level: strings[c.level[i]] as LogLevel,
      message: c.message[i],
      at: strings[c.at[i]],
    };
  }
  return rows;
}
