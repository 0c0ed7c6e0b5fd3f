/**
 * A server killed while a task floods its log, for the hot path's crash test: builds the
 * app on the database given (its DatabaseConfig as JSON in argv), runs a notebook whose
 * task prints three million lines as fast as a shell loop can, and prints `started <execution>` once the run is under
 * way; the test kills it with SIGKILL between (or in the middle of) two batches.
 * Run: node --import tsx test/support/crash-mid-log.ts <dataDir> '<database config JSON>'
 */
import { createApp } from '../../lib/server/app';
import type { DatabaseConfig } from '../../lib/db/config';

const FLOW = `id: flood
namespace: test.crash
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: starting
  - id: flood
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); echo "line $i"; done
`;

async function main(): Promise<void> {
  const [dataDir, config] = process.argv.slice(2);
  const database = JSON.parse(config) as DatabaseConfig;
  const app = await createApp({ dataDir, database, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
  const { id } = await app.notebooks.create(FLOW);
  const { executionId } = await app.runs.start(id, { mode: 'all' });
  console.log(`started ${executionId}`);
  setInterval(() => {}, 60_000);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
