/**
 * Fault test: the page's connection to the server is cut in the middle of a run, for 5 seconds
 * (in CI) and for 5 minutes (FLOWBOOK_FAULTS_SLOW=1). The page is the browser's own live store
 * (lib/client/execution-store) on a real socket.io client that reaches the server through a TCP
 * proxy: a cut drops every open connection and refuses new ones until it ends. After the run
 * the log the page holds equals the stored one, line for line, with no gap and no repeat.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachRealtime, type RealtimeServer } from '../../lib/realtime/server';
import { securityConfig } from '../../lib/security/config';
import { ExecutionStore, type FlowbookSocket } from '../../lib/client/execution-store';
import type { App } from '../../lib/server/app';
import { testApp } from '../api/harness';
import { SLOW } from './tags';

const TOKEN = 'transport-cut-token-0123456789';

/** A TCP proxy in front of the server whose link can be cut and restored. */
class CuttableLink {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private cut = false;
  cuts = 0;

  constructor(private readonly target: number) {
    this.server = net.createServer((client) => {
      // While cut nothing gets through: a new connection is dropped at once, as by a dead network.
      if (this.cut) return void client.destroy();
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Drops every connection and refuses new ones for `ms`. */
  async cutFor(ms: number): Promise<void> {
    this.cut = true;
    this.cuts++;
    for (const s of this.open) s.destroy();
    await new Promise((r) => setTimeout(r, ms));
    this.cut = false;
  }

  close(): void {
    for (const s of this.open) s.destroy();
    this.server.close();
  }
}

let app: App;
let server: http.Server;
let io: RealtimeServer;
let link: CuttableLink;
let linkPort: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  link = new CuttableLink((server.address() as AddressInfo).port);
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

    const stored = await allStoredLogs(executionId);
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

async function allStoredLogs(executionId: string) {
  const out = [];
  for (let after = 0; ; ) {
    const page = await app.runs.logs(executionId, after);
    if (page.length === 0) return out;
    out.push(...page);
    after = page.at(-1)!.seq;
  }
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`still waiting after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the transport cut during a run', () => {
  it('for 5 s: the page shows every stored line once it is back', { timeout: 180_000 }, () => followThroughCut(5));

  it.runIf(SLOW)('for 5 min: the page shows every stored line once it is back (FLOWBOOK_FAULTS_SLOW=1)', { timeout: 900_000 }, () => followThroughCut(300));
});
