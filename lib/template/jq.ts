/**
 * Runs jq programs for the `jq` filter with real jq (jq-wasm: jq compiled to WebAssembly).
 *
 * Rendering is synchronous but jq-wasm only loads asynchronously, and a jq program can loop
 * forever (`def f: f; f`). So jq runs in a worker thread: each query is posted to it and the
 * calling thread blocks on a shared flag until the answer is back or the time limit passes,
 * in which case the worker is ended and the next query starts a fresh one. A runaway program
 * therefore costs one render its time limit instead of freezing the process.
 */
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';

/** A jq program that has not answered after this long is stopped. */
export const JQ_TIMEOUT_MS = 10_000;
/** Starting the worker and loading jq takes well under a second; this leaves room for a slow machine. */
const START_TIMEOUT_MS = 30_000;

export class JqError extends Error {}

/* The worker runs as CommonJS source (no file to locate once bundled); it loads jq-wasm from
 * the absolute path the calling thread resolved. Every answer is posted on the port first and
 * only then signalled, so the caller always finds it when it wakes. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const jq = require(workerData.jqModule);
const port = workerData.port;
const flag = new Int32Array(workerData.flag);
function answer(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
function failure(e) {
  return { error: String(e && e.message ? e.message : e) };
}
jq.raw('null', '.', ['-c']).then(() => answer({ ready: true }), (e) => answer(failure(e)));
port.on('message', (request) => {
  jq.raw(request.input, request.query, ['-c']).then((output) => answer({ output }), (e) => answer(failure(e)));
});
`;

type Answer = { ready: true } | { output: string } | { error: string };

// node:worker_threads loads with the first jq query, not with every template.
const threads = () => process.getBuiltinModule('node:worker_threads');

class JqWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(jqModule: string) {
    const { MessageChannel, Worker } = threads();
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { jqModule, port: channel.port2, flag: this.flag.buffer },
      transferList: [channel.port2],
    });
    // Neither the worker nor its port may keep a finished CLI run alive.
    this.worker.unref();
    this.port.unref();
    this.worker.on('error', () => undefined);
    const started = this.await(START_TIMEOUT_MS);
    if (started === 'timed-out') {
      this.stop();
      throw new JqError(`jq did not start within ${START_TIMEOUT_MS / 1000} s`);
    }
    if ('error' in started) {
      this.stop();
      throw new JqError(`jq could not be loaded: ${started.error}`);
    }
  }

  /** Sends one query and blocks until its answer, or 'timed-out'. */
  query(input: string, query: string, timeoutMs: number): Answer | 'timed-out' {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ input, query });
    return this.await(timeoutMs);
  }

  private await(timeoutMs: number): Answer | 'timed-out' {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = threads().receiveMessageOnPort(this.port);
      if (message) {
        Atomics.store(this.flag, 0, 0);
        return message.message as Answer;
      }
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      Atomics.wait(this.flag, 0, 0, left);
    }
  }

  stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

let current: JqWorker | undefined;

function jqModulePath(): string {
  // Resolved at call time so that merely importing the template engine starts nothing.
  return createRequire(import.meta.url).resolve('jq-wasm');
}

/**
 * Runs `query` on `input` (JSON text) and returns every output, parsed, in order — jq's
 * stream of results as one list, which is what Kestra's `jq` filter returns.
 */
export function runJq(input: string, query: string, timeoutMs = JQ_TIMEOUT_MS): unknown[] {
  current ??= new JqWorker(jqModulePath());
  const answer = current.query(input, query, timeoutMs);
  if (answer === 'timed-out') {
    current.stop();
    current = undefined;
    throw new JqError(`the jq expression did not finish within ${timeoutMs / 1000} s and was stopped`);
  }
  if ('error' in answer) {
    throw new JqError(answer.error.replace(/^Failed to execute raw query: /, '').trim());
  }
  if (!('output' in answer)) throw new JqError('jq answered out of turn');
  return answer.output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
