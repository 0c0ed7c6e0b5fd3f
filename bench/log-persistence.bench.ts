/**
 * How much storing log lines costs a chatty task: a shell task printing 100,000 lines, run
 * by the bare engine (nothing stored) and through the app (every line stored in SQLite with
 * its gapless seq), while an HTTP client in a process of its own (log-reader.mjs) pages
 * through the stored log as the logs route serves it. Extras: lines stored per second,
 * lines lost (expected lines the reader never got) and the 95th percentile of the reader's
 * page latency.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Benchmark } from './harness';
import { timed } from './harness';
import { bareEngine, benchApp, flowOf, type BareEngine, type BenchApp } from './app-fixture';

const LINES = Number(process.env.BENCH_LOG_LINES ?? 100_000);
const PAGE = 1_000;
const yaml = `id: chatty
namespace: bench
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - seq 1 ${LINES} | sed 's/^/line /'
`;

let server: BenchApp | undefined;
let pages: http.Server | undefined;
let engine: BareEngine | undefined;
let notebookId = '';

/** The logs route's answer (GET /api/executions/:id/logs?after=&limit=) without Next around it. */
function logsServer(app: BenchApp['app']): http.Server {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const id = url.searchParams.get('execution') ?? '';
    app.runs.logs(id, Number(url.searchParams.get('after') ?? 0), Number(url.searchParams.get('limit') ?? PAGE)).then(
      (rows) => res.setHeader('content-type', 'application/json').end(JSON.stringify(rows)),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  // A busy event loop must not make the server drop the reader's kept-alive socket under it.
  server.keepAliveTimeout = 120_000;
  return server;
}

interface ReaderReport {
  read: number;
  lost: number;
  gapless: boolean;
  pageP95Ms: number;
  pages: number;
}

/** Starts the reader process (log-reader.mjs); `follow` hands it the execution, `settle` says the run ended. */
async function startReader(port: number): Promise<{ follow(executionId: string): void; settle(): Promise<ReaderReport> }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'log-reader.mjs'), String(port), String(LINES), String(PAGE)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // Started before the clock, so its own start-up is not the server's time.
  await new Promise((resolve) => child.on('spawn', resolve));
  return {
    follow: (executionId) => child.stdin.write(`${executionId}\n`),
    async settle() {
      child.stdin.end('settled\n');
      const code = await exited;
      if (code !== 0) throw new Error(`the log reader exited ${code}`);
      return JSON.parse(out) as ReaderReport;
    },
  };
}

const bench: Benchmark = {
  id: 'log-persistence',
  title: `${LINES.toLocaleString('en')} log lines stored while read`,
  target: '≥ 200,000 lines/s, 0 lost, page p95 ≤ 100 ms',
  runs: 3,
  async setup() {
    server = await benchApp();
    notebookId = (await server.app.notebooks.create(yaml)).id;
    pages = logsServer(server.app);
    await new Promise<void>((r) => pages!.listen(0, '127.0.0.1', r));
    engine = bareEngine();
  },
  async teardown() {
    await new Promise((r) => pages?.close(r));
    await server?.close();
    engine?.close();
  },
  baseline: {
    name: 'bare engine (nothing stored)',
    async run() {
      const flow = flowOf(yaml);
      return { ms: await timed(() => engine!.run(flow)) };
    },
  },
  subject: {
    name: 'through the app (SQLite) with a reader',
    async run() {
      const app = server!.app;
      const port = (pages!.address() as AddressInfo).port;
      const reader = await startReader(port);
      const started = performance.now();
      const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
      reader.follow(executionId);
      await app.runs.settled(executionId);
      const ms = performance.now() - started;
      const report = await reader.settle();
      if (!report.gapless) throw new Error('the stored log has a gap or is out of order');
      return { ms, extra: { linesPerSecond: Math.round(LINES / (ms / 1000)), lost: report.lost, pageP95Ms: report.pageP95Ms, pages: report.pages } };
    },
  },
  verdict(o) {
    const { linesPerSecond = NaN, lost = NaN, pageP95Ms = NaN } = o.subject.extra;
    return {
      met: linesPerSecond >= 200_000 && lost === 0 && pageP95Ms <= 100,
      figure: `${Math.round(linesPerSecond).toLocaleString('en')} lines/s, ${lost} lost, page p95 ${pageP95Ms.toFixed(1)} ms`,
    };
  },
};

export default bench;
