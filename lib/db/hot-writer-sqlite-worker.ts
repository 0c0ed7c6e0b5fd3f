/**
 * The SQLite hot writer's thread (see hot-writer-sqlite-thread.ts): one better-sqlite3
 * connection, and every request handled in the order it came, one at a time, so a write
 * waiting out a busy database is never overtaken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteHotWriter } from './hot-writer-sqlite';
import { dispatch, type WriterReply, type WriterRequest } from './hot-writer-sqlite-thread';

const port = parentPort;
if (!port) throw new Error('hot-writer-sqlite-worker runs as a worker thread only');
const writer = new SqliteHotWriter((workerData as { file: string }).file, { checkpointWhenIdle: true });

let last: Promise<unknown> = Promise.resolve();
/** Requests received and not yet answered. */
let waiting = 0;

/**
 * How long the writer must have had nothing to do before it checkpoints: a run's next batch
 * or the next run of a loop comes sooner, and a checkpoint of a chatty run's WAL (tens of
 * milliseconds) would hold it up.
 */
const IDLE_MS = 50;
/** How soon a checkpoint that a reader held back partly is tried again. */
const RETRY_MS = 500;
let idleTimer: NodeJS.Timeout | undefined;

/** Once nothing was asked for `after` ms, the writer may checkpoint. */
function checkIdle(after = IDLE_MS): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (waiting === 0 && !writer.idle()) checkIdle(RETRY_MS);
  }, after);
  // An idle thread must not keep the process alive for its checkpoint.
  idleTimer.unref();
}

port.on('message', (request: WriterRequest) => {
  waiting++;
  last = last.then(async () => {
    let reply: WriterReply;
    try {
      reply = { id: request.id, ok: true, value: await dispatch(writer, request) };
    } catch (err) {
      const e = err as { message?: unknown; code?: unknown };
      reply = { id: request.id, ok: false, message: String(e?.message ?? err), code: typeof e?.code === 'string' ? e.code : undefined };
    }
    port.postMessage(reply);
    if (--waiting === 0) checkIdle();
  });
});
port.postMessage({ ready: true });
