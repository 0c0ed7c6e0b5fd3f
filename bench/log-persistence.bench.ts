/**
 * How much storing log lines costs a chatty task: a shell task printing 100,000 lines, run
 * by the bare engine (nothing stored) and through the app (every line stored in SQLite with
 * its gapless seq), while an HTTP client pages through the stored log as the logs route
 * serves it. Extras: lines stored per second, lines lost (expected lines the reader never
 * got) and the 95th percentile of the reader's page latency.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogDto } from '../lib/contract';
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
    app.runs.logs(id, Number(url.searchParams.get('after') ?? 0), PAGE).then(
      (rows) => res.setHeader('content-type', 'application/json').end(JSON.stringify(rows)),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  // A busy event loop must not make the server drop the reader's kept-alive socket under it.
  server.keepAliveTimeout = 120_000;
  return server;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Pages through the stored log until `done` and the last page is read; returns what it read and each page's latency. */
async function follow(port: number, executionId: string, done: () => boolean): Promise<{ lines: LogDto[]; latencies: number[] }> {
  const lines: LogDto[] = [];
  const latencies: number[] = [];
  let after = 0;
  for (;;) {
    const finishedBefore = done();
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/?execution=${executionId}&after=${after}`);
    const page = (await res.json()) as LogDto[];
    latencies.push(performance.now() - started);
    lines.push(...page);
    if (page.length > 0) after = page[page.length - 1].seq;
    if (page.length < PAGE && finishedBefore) return { lines, latencies };
    if (page.length === 0) await new Promise((r) => setTimeout(r, 5));
  }
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
      const started = performance.now();
      const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
      let settled = false;
      const reader = follow(port, executionId, () => settled);
      await app.runs.settled(executionId);
      const ms = performance.now() - started;
      settled = true;
      const { lines, latencies } = await reader;
      const printed = new Set(lines.filter((l) => l.message.startsWith('line ')).map((l) => l.message));
      let lost = 0;
      for (let i = 1; i <= LINES; i++) if (!printed.has(`line ${i}`)) lost++;
      const gapless = lines.every((l, k) => l.seq === k + 1);
      if (!gapless) throw new Error('the stored log has a gap or is out of order');
      return { ms, extra: { linesPerSecond: Math.round(LINES / (ms / 1000)), lost, pageP95Ms: percentile(latencies, 95), pages: latencies.length } };
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
