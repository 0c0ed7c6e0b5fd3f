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
const writer = new SqliteHotWriter((workerData as { file: string }).file);

let last: Promise<unknown> = Promise.resolve();
port.on('message', (request: WriterRequest) => {
  last = last.then(async () => {
    let reply: WriterReply;
    try {
      reply = { id: request.id, ok: true, value: await dispatch(writer, request) };
    } catch (err) {
      const e = err as { message?: unknown; code?: unknown };
      reply = { id: request.id, ok: false, message: String(e?.message ?? err), code: typeof e?.code === 'string' ? e.code : undefined };
    }
    port.postMessage(reply);
  });
});
port.postMessage({ ready: true });
