/**
 * A viewer that stops reading while a run prints does not make the server hold the whole
 * stream for it: once its unsent data passes the per-socket cap it is taken out of the live
 * stream and told so, and when it reads again it catches up from the store a page at a time.
 * Its log (the page's own live store, through a TCP proxy that can stop reading) still ends
 * equal to the stored one; a reader that keeps up is never dropped.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachRealtime, SNAPSHOT_PAGE_LINES, type RealtimeServer } from '../../lib/realtime/server';
import { securityConfig } from '../../lib/security/config';
import { ExecutionStore, type FlowbookSocket } from '../../lib/client/execution-store';
import type { App } from '../../lib/server/app';
import { testApp } from './harness';

const TOKEN = 'slow-viewer-token-0123456789';
/** Small, so a few MB of log fill it even though the kernel's socket buffers take some first. */
const BACKLOG_BYTES = 64 * 1024;
const LINES = 60_000;

/** A TCP proxy whose server-to-client direction can stop reading, as a viewer too slow to keep up. */
class StallableLink {
  private readonly server: net.Server;
  /** Server-side legs, in the order the connections came. */
  private readonly upstreams: { upstream: net.Socket; client: net.Socket }[] = [];

  constructor(target: number) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target, '127.0.0.1');
      this.upstreams.push({ upstream, client });
      for (const s of [client, upstream]) s.on('error', () => undefined);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops (or resumes) reading what the server sends on the first connection. */
  stallFirst(on: boolean): void {
    // Unpiped, not only paused: a pipe resumes its source whenever the destination drains.
    const { upstream, client } = this.upstreams[0];
    if (on) {
      upstream.unpipe(client);
      upstream.pause();
    } else upstream.pipe(client);
  }

  close(): void {
    for (const { upstream } of this.upstreams) upstream.destroy();
    this.server.close();
  }
}

let app: App;
let server: http.Server;
let io: RealtimeServer;

beforeAll(async () => {
  app = await testApp('sqlite');
  server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await app.close();
});

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`still waiting after ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
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

describe('a viewer that falls behind', () => {
  it('is taken out of the live stream, catches up from the store in pages, and ends with the stored log', { timeout: 300_000 }, async () => {
    const serverPort = (server.address() as AddressInfo).port;
    // Both readers reach the server through the proxy (the host they name); only the first one's leg stalls.
    const link = new StallableLink(serverPort);
    const port = await link.listen();
    io = attachRealtime(server, {
      db: app.db,
      persister: app.persister,
      security: securityConfig({ hostname: '127.0.0.1', port, env: { FLOWBOOK_TOKEN: TOKEN } }),
      socketBacklogBytes: BACKLOG_BYTES,
    });
    const { id } = await app.notebooks.create(`id: chatty
namespace: test.viewers
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - sleep 1; seq 1 ${LINES} | sed 's/^/a line long enough to fill the buffers of a slow viewer, number /'
`);
    const open = () => connect(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { authorization: `Bearer ${TOKEN}` }, forceNew: true }) as FlowbookSocket;
    const slow = open();
    await until(() => slow.connected, 30_000, 'the slow viewer to connect');
    const fast = open();
    let lagged = 0;
    let fastLagged = 0;
    slow.on('execution:lagging', () => lagged++);
    fast.on('execution:lagging', () => fastLagged++);
    const slowStore = new ExecutionStore(slow);
    const fastStore = new ExecutionStore(fast);
    try {
      await until(() => slow.connected && fast.connected, 30_000, 'both sockets to connect');
      const { executionId } = await app.runs.start(id, { mode: 'all' });
      slowStore.watch(executionId);
      fastStore.watch(executionId);
      await until(() => slowStore.get(executionId)?.loaded === true, 30_000, 'the slow viewer to subscribe');
      link.stallFirst(true);
      await app.runs.settled(executionId);
      link.stallFirst(false);
      await until(() => slowStore.get(executionId)?.finished === true && fastStore.get(executionId)?.finished === true, 240_000, 'both viewers to end');

      const stored = (await allStoredLogs(executionId)).map((l) => [l.seq, l.message]);
      expect(stored.length).toBeGreaterThan(LINES);
      expect(lagged).toBeGreaterThan(0);
      expect(slowStore.get(executionId)!.logs.all.map((l) => [l.seq, l.message])).toEqual(stored);
      expect(fastStore.get(executionId)!.logs.all.map((l) => [l.seq, l.message])).toEqual(stored);
      expect(stored.length).toBeGreaterThan(SNAPSHOT_PAGE_LINES);
      console.log(`slow viewer: dropped from the live stream ${lagged} time(s), caught up ${stored.length} lines; the fast one ${fastLagged} time(s)`);
    } finally {
      slow.close();
      fast.close();
      link.close();
    }
  });
});
