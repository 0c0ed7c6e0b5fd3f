/**
 * Whether runs that wait on I/O overlap through the server: 20 executions of a flow that
 * sleeps, calls a local HTTP server and queries PostgreSQL (each waiting about 100 ms),
 * started together against the same 20 run one after another, both through the app on
 * SQLite. Concurrency is worth its name when the 20 take a small fraction of their
 * sequential time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Benchmark } from './harness';
import { timed } from './harness';
import { benchApp, runThroughApp, type BenchApp } from './app-fixture';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres';

const RUNS = 20;
const WAIT_MS = 100;

let server: BenchApp | undefined;
let slow: http.Server | undefined;
let pg: TestPostgres | undefined;
let notebookId = '';

function flowYaml(httpPort: number, pgUrl: string): string {
  return `id: io_bound
namespace: bench
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT${WAIT_MS / 1000}S
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: http://127.0.0.1:${httpPort}/slow
  - id: query
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: ${pgUrl}
    username: root
    password: root
    sql: SELECT pg_sleep(${WAIT_MS / 1000}) IS NULL AS slept
    fetchType: FETCH_ONE
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.call.code }} {{ outputs.query.row.slept }}"
`;
}

const bench: Benchmark = {
  id: 'concurrent-runs',
  title: `${RUNS} I/O-bound runs at once (Sleep, HTTP, PostgreSQL)`,
  target: '≤ 0.25× their sequential time',
  runs: 3,
  async setup() {
    slow = http.createServer((_req, res) => setTimeout(() => res.end('ok'), WAIT_MS));
    await new Promise<void>((r) => slow!.listen(0, '127.0.0.1', r));
    pg = await startTestPostgres();
    server = await benchApp();
    const port = (slow.address() as AddressInfo).port;
    notebookId = (await server.app.notebooks.create(flowYaml(port, pg.jdbcUrl))).id;
  },
  async teardown() {
    await server?.close();
    await pg?.stop();
    await new Promise((r) => slow?.close(r));
  },
  baseline: {
    name: `${RUNS} runs one after another`,
    async run() {
      return {
        ms: await timed(async () => {
          for (let i = 0; i < RUNS; i++) await runThroughApp(server!.app, notebookId);
        }),
      };
    },
  },
  subject: {
    name: `${RUNS} runs at once`,
    async run() {
      return { ms: await timed(() => Promise.all(Array.from({ length: RUNS }, () => runThroughApp(server!.app, notebookId)))) };
    },
  },
  verdict(o) {
    return { met: o.ratio <= 0.25, figure: `${o.ratio.toFixed(2)}× sequential` };
  },
};

export default bench;
