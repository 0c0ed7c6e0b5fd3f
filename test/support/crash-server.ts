/**
 * A server that is about to crash, for the recovery fault tests: builds the app on the data
 * dir given, starts the notebook flow given (its YAML on stdin) and prints `started <execution>`
 * once the flow's task has printed `ready`; then it waits to be killed with SIGKILL.
 * Run: node --import tsx test/support/crash-server.ts <dataDir>
 */
import path from 'node:path';
import { createApp } from '../../lib/server/app';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  let yaml = '';
  for await (const chunk of process.stdin) yaml += String(chunk);
  const app = await createApp({ dataDir, database: { kind: 'sqlite', file: path.join(dataDir, 'flowbook.db') }, env: { FLOWBOOK_DEFAULT_RUNNER: 'process' } });
  const { id } = await app.notebooks.create(yaml);
  // The task may print `ready` before the start answers (it answers once the execution is stored).
  let executionId = '';
  let ready = false;
  const tell = () => ready && executionId && console.log(`started ${executionId}`);
  app.engine.bus.subscribe((event) => {
    if (event.kind === 'log' && event.log.message === 'ready') {
      ready = true;
      tell();
    }
  });
  ({ executionId } = await app.runs.start(id, { mode: 'all' }));
  tell();
  // Keep running until killed.
  setInterval(() => {}, 60_000);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
