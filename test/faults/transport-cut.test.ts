/**
 * Fault test: the page's connection to the server is cut in the middle of a run, for 5 seconds
 * (in CI) and for 5 minutes (FLOWBOOK_FAULTS_SLOW=1). The page is the browser's own live store
 * (lib/client/execution-store) on a real socket.io client that reaches the server through a TCP
 * proxy: a cut drops every open connection and refuses new ones until it ends. After the run
 * the log the page holds equals the stored one, line for line, with no gap and no repeat.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachRealtime, type RealtimeServer } from '../../lib/realtime/server';
import { securityConfig } from '../../lib/security/config';
import { ExecutionStore, type FlowbookSocket } from '../../lib/client/execution-store';
import type { App } from '../../lib/server/app';
import { testApp } from '../api/harness';
import { SLOW } from './tags';
import { TestLink, allStoredLogs, until } from '../support/link';

const TOKEN = 'transport-cut-token-0123456789';

let app: App;
let server: http.Server;
let io: RealtimeServer;
let link: TestLink;
let linkPort: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  link = new TestLink((server.address() as AddressInfo).port);
  linkPort = await link.listen();
  // The page reaches the server at the proxy's address, so that is the host it names.
  io = attachRealtime(server, { db: app.db, persister: app.persister, security: securityConfig({ hostname: '127.0.0.1', port: linkPort, env: { FLOWBOOK_TOKEN: TOKEN } }) });
});
afterAll(async () => {
  link.close();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await app.close();
});

async function followThroughCut(cutSeconds: number): Promise<void> {
  const printSeconds = cutSeconds + 8;
  const { id } = await app.notebooks.create(`id: cut_${cutSeconds}
namespace: test.faults
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - end=$(( $(date +%s) + ${printSeconds} )); i=0; while [ $(date +%s) -lt $end ]; do i=$((i+1)); echo "line $i"; sleep 0.05; done; echo "printed $i"
`);
  const socket: FlowbookSocket = connect(`http://127.0.0.1:${linkPort}`, { path: '/socket.io', extraHeaders: { authorization: `Bearer ${TOKEN}` }, forceNew: true });
  const store = new ExecutionStore(socket);
  try {
    const { executionId } = await app.runs.start(id, { mode: 'all' });
    store.watch(executionId);
    // Some lines reach the page live, then the link goes down mid-run.
    await until(() => (store.get(executionId)?.logs.all.length ?? 0) >= 20, 30_000);
    const before = store.get(executionId)!.logs.lastSeq;
    let disconnects = 0;
    socket.on('disconnect', () => disconnects++);
    await link.cutFor(cutSeconds * 1000);
    await app.runs.settled(executionId);
    // socket.io retries every few seconds at most: the page catches up once it is back.
    await until(() => store.get(executionId)?.finished === true, 60_000);

    const stored = await allStoredLogs(app, executionId);
    const shown = store.get(executionId)!.logs.all;
    const lost = stored.length - shown.length;
    console.log(`cut ${cutSeconds} s: ${stored.length} lines stored, ${shown.length} on the page (${lost} lost), ${before} before the cut, ${disconnects} disconnect(s)`);
    expect(disconnects).toBeGreaterThan(0);
    expect(store.get(executionId)!.execution?.state).toBe('SUCCESS');
    expect(shown.map((l) => [l.seq, l.message])).toEqual(stored.map((l) => [l.seq, l.message]));
    expect(stored.at(-1)!.seq).toBeGreaterThan(before);
  } finally {
    socket.close();
  }
}

describe('the transport cut during a run', () => {
  it('for 5 s: the page shows every stored line once it is back', { timeout: 180_000 }, () => followThroughCut(5));

  it.runIf(SLOW)('for 5 min: the page shows every stored line once it is back (FLOWBOOK_FAULTS_SLOW=1)', { timeout: 900_000 }, () => followThroughCut(300));
});
