/**
 * The SQLite hot writer on a thread of its own. better-sqlite3 runs each statement on the
 * thread that calls it; on the engine's thread the inserts of a chatty run took nearly half
 * of that thread's time, time the engine could not spend reading the script's output. Here
 * the engine's thread only hands each batch over (a structured clone) and waits for the
 * commit, and goes on running tasks meanwhile; the order of batches, "nothing is sent before
 * it is stored" and the busy-database retries are the same as in-process (the worker runs
 * SqliteHotWriter itself, one request at a time).
 *
 * The compiled server starts the worker's compiled file (scripts/dist builds it beside the
 * server and writes its path into the bundle); run from source, the worker loads its
 * TypeScript through tsx's API. Either way it is the one SqliteHotWriter.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HotBatch, HotWriter, LogLineRow, StoredExecution } from './hot-writer';
import type { ColumnBatch, SqliteHotWriter } from './hot-writer-sqlite';
import { fromLogColumns, toLogColumns, type LogColumns } from './log-columns';

export type WriterRequest =
  | { id: number; op: 'write'; batch: ColumnBatch }
  | { id: number; op: 'logPage'; executionId: string; afterSeq: number; limit: number }
  | { id: number; op: 'load'; executionId: string }
  | { id: number; op: 'close' };

export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code?: string };

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** Distributive Omit, so each request shape keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A failure the worker reported, with the SQLite code (SQLITE_CONSTRAINT_FOREIGNKEY, ...) kept. */
export class HotWriterError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HotWriterError';
  }
}

function workerSource(): string {
  const require = createRequire(import.meta.url);
  // tsx's ESM API, by file: its package maps `require` to a CommonJS build that cannot load ESM here.
  const api = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./hot-writer-sqlite-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))
  .catch((err) => { console.error('flowbook: the SQLite writer thread could not start:', err); process.exit(1); });`;
}

/** How long a new writer thread may take to open the database before the writes stay on this thread. */
const READY_TIMEOUT_MS = 15_000;

export class SqliteThreadWriter implements HotWriter {
  private worker: Worker | undefined;
  /** Resolves true once the thread has opened the database, false when it could not. */
  private ready: Promise<boolean> = Promise.resolve(false);
  /** The writer on this thread, where no thread could start: slower, never stuck. */
  private inlineOpening: Promise<SqliteHotWriter> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly file: string) {
    this.start();
  }

  write(batch: HotBatch): Promise<void> {
    // Columns, not a line object each: the clone to the thread is then a few arrays (log-columns.ts).
    return this.call({ op: 'write', batch: { ...batch, logs: toLogColumns(batch.logs) } }) as Promise<void>;
  }

  async logPage(executionId: string, afterSeq: number, limit: number): Promise<LogLineRow[] | undefined> {
    // The page comes back in columns too: rebuilding the rows here costs less than cloning them.
    const page = (await this.call({ op: 'logPage', executionId, afterSeq, limit })) as LogColumns | undefined;
    return page && fromLogColumns(page);
  }

  load(executionId: string): Promise<StoredExecution | undefined> {
    return this.call({ op: 'load', executionId }) as Promise<StoredExecution | undefined>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.inlineOpening) await (await this.inlineOpening).close();
      else await this.call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.worker?.terminate();
      this.worker = undefined;
    }
  }

  private start(): void {
    const compiled = process.env.FLOWBOOK_WORKER_SQLITE_WRITER;
    const workerData = { file: this.file };
    const worker = compiled ? new Worker(compiled, { workerData }) : new Worker(workerSource(), { eval: true, workerData });
    // An idle writer does not keep the process alive; one with requests in flight does.
    worker.unref();
    let settleReady!: (ok: boolean) => void;
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      timer.unref();
      settleReady = (ok) => {
        clearTimeout(timer);
        resolve(ok);
      };
    });
    worker.on('message', (reply: WriterReply | { ready: true }) => {
      if (!('id' in reply)) return settleReady(true);
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new HotWriterError(reply.message, reply.code));
    });
    const fail = (err: Error) => {
      settleReady(false);
      if (this.worker !== worker) return;
      // A thread that died takes its requests with it; the next request starts a new one.
      this.worker = undefined;
      for (const [, waiting] of this.pending) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread stopped (exit code ${code})`)));
    this.worker = worker;
  }

  /**
   * Requests wait for the thread to be ready, each in turn, so they reach it in the order
   * they were made. A thread that cannot start leaves the writes on this thread (with a
   * warning) instead of holding every run's events back.
   */
  private async call(request: WithoutId<WriterRequest>): Promise<unknown> {
    if (this.closed) throw new Error('the SQLite writer is closed');
    if (!this.inlineOpening && !this.worker) this.start();
    const threaded = this.inlineOpening ? false : await this.ready;
    if (!threaded) return dispatch(await this.inlineWriter(), request);
    const worker = this.worker;
    if (!worker) throw new Error('the SQLite writer thread stopped');
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private inlineWriter(): Promise<SqliteHotWriter> {
    if (!this.inlineOpening) {
      const worker = this.worker;
      this.worker = undefined;
      void worker?.terminate();
      console.warn(`flowbook: the SQLite writer thread did not start within ${READY_TIMEOUT_MS / 1000} s: writing on the main thread`);
      this.inlineOpening = import('./hot-writer-sqlite').then(({ SqliteHotWriter }) => new SqliteHotWriter(this.file));
    }
    return this.inlineOpening;
  }
}

/** Hands a request to a writer: the worker's loop and the fallback on this thread alike. */
export function dispatch(writer: SqliteHotWriter, request: WithoutId<WriterRequest>): Promise<unknown> {
  switch (request.op) {
    case 'write':
      return writer.writeColumns(request.batch);
    case 'logPage':
      return writer.logPage(request.executionId, request.afterSeq, request.limit).then((rows) => rows && toLogColumns(rows));
    case 'load':
      return writer.load(request.executionId);
    case 'close':
      return writer.close();
  }
}
