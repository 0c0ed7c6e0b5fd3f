/**
 * A follower that stops reading in the middle of a long run (a student's laptop asleep, a
 * tab in the background on a slow link). The page is the browser's own live store on a real
 * socket.io client behind a TCP proxy that stops taking bytes from the server; the run prints
 * tens of megabytes of log meanwhile. What the server holds unsent for that follower stays
 * around the high-water mark instead of growing with the log, a follower reading at full
 * speed is not held up, and once the stalled one reads again it catches up to the stored log
 * line for line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionStore, type FlowbookSocket } from '../../lib/client/execution-store';
import type { App } from '../../lib/server/app';
import { attachRealtime, type RealtimeServer } from '../../lib/realtime/server';
import { HIGH_WATER_BYTES, pendingBytes } from '../../lib/realtime/backpressure';
import { securityConfig } from '../../lib/security/config';
import { testApp } from './harness';
import { TestLink, allStoredLogs, until } from '../support/link';

const TOKEN = 'slow-follower-token-0123456789';
const LINES = 150_000;
const PAD = 'x'.repeat(120);

let app: App;
let server: http.Server;
let io: RealtimeServer;
let link: TestLink;
let port: number;
let linkPort: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  link = new TestLink(port);
  linkPort = await link.listen();
  // The security config names the server's own port; the page behind the link says that host too (page() sets Host).
  io = attachRealtime(server, { db: app.db, persister: app.persister, security: securityConfig({ hostname: '127.0.0.1', port, env: { FLOWBOOK_TOKEN: TOKEN } }) });
});
afterAll(async () => {
  link.close();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await app.close();
});

function page(to: number): FlowbookSocket {
  return connect(`http://127.0.0.1:${to}`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { authorization: `Bearer ${TOKEN}`, host: `127.0.0.1:${port}` },
    reconnection: false,
    forceNew: true,
  });
}

describe('a follower that stops reading during a long run', () => {
  it('is held to about the high-water mark, does not slow the others, and catches up line for line', { timeout: 240_000 }, async () => {
    const { id } = await app.notebooks.create(`id: flood
namespace: test.follow
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - sleep 1; seq 1 ${LINES} | sed 's/$/ ${PAD}/'
`);
    const slow = page(linkPort);
    const fast = page(port);
    await Promise.all([slow, fast].map((s) => new Promise<void>((r) => s.once('connect', () => r()))));
    const slowStore = new ExecutionStore(slow);
    const fastStore = new ExecutionStore(fast);
    let catchUpPages = 0;
    slow.on('execution:logs', () => catchUpPages++);
    try {
      const { executionId } = await app.runs.start(id, { mode: 'all' });
      slowStore.watch(executionId);
      fastStore.watch(executionId);
      await until(() => slowStore.get(executionId)?.loaded === true, 30_000, 'the snapshot');
      link.stall();

      // Sample what the server holds unsent for the stalled page while the run prints.
      const serverSide = io.sockets.sockets.get(slow.id!);
      expect(serverSide).toBeDefined();
      let held = 0;
      const sampler = setInterval(() => (held = Math.max(held, pendingBytes(serverSide!))), 5);
      await app.runs.settled(executionId);
      await until(() => fastStore.get(executionId)?.finished === true, 60_000, 'the fast page to finish');
      const fastDone = fastStore.get(executionId)!.logs.all.length;
      const slowHad = slowStore.get(executionId)!.logs.all.length;
      clearInterval(sampler);

      link.resume();
      await until(() => slowStore.get(executionId)?.finished === true, 120_000, 'the slow page to catch up');

      const stored = await allStoredLogs(app, executionId);
      const bytes = stored.reduce((n, l) => n + l.message.length, 0);
      console.log(`${stored.length} lines (${(bytes / 2 ** 20).toFixed(1)} MiB of messages); stalled page held at most ${(held / 2 ** 10).toFixed(0)} KiB unsent and had ${slowHad} lines; fast page had ${fastDone}; ${catchUpPages} catch-up pages`);
      expect(stored.length).toBeGreaterThan(LINES);
      expect(bytes).toBeGreaterThan(15 * 2 ** 20);
      // The limit is the high-water mark plus what one stored batch adds before the check.
      expect(held).toBeLessThan(HIGH_WATER_BYTES + 2 * 2 ** 20);
      expect(slowHad).toBeLessThan(stored.length);
      expect(fastDone).toBe(stored.length);
      expect(catchUpPages).toBeGreaterThan(0);
      const rows = (s: ExecutionStore) => s.get(executionId)!.logs.all.map((l) => `${l.seq} ${l.message}`);
      expect(rows(slowStore)).toEqual(stored.map((l) => `${l.seq} ${l.message}`));
      expect(rows(fastStore)).toEqual(stored.map((l) => `${l.seq} ${l.message}`));
      expect(slowStore.get(executionId)!.execution?.state).toBe('SUCCESS');
    } finally {
      slow.close();
      fast.close();
    }
  });

  it('a page that subscribes to a long finished run gets it in pages, then the snapshot', { timeout: 120_000 }, async () => {
    const { id } = await app.notebooks.create(`id: long_done
namespace: test.follow
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - seq 1 5000
`);
    const { executionId } = await app.runs.start(id, { mode: 'all' });
    await app.runs.settled(executionId);
    const s = page(port);
    const events: string[] = [];
    s.on('execution:logs', (p) => events.push(`logs ${p.logs.length}`));
    s.on('execution:snapshot', (p) => events.push(`snapshot ${p.execution.state}`));
    const store = new ExecutionStore(s);
    try {
      await new Promise<void>((r) => s.once('connect', () => r()));
      store.watch(executionId);
      await until(() => store.get(executionId)?.finished === true, 60_000, 'the run');
      const stored = await allStoredLogs(app, executionId);
      expect(store.get(executionId)!.logs.all.map((l) => l.seq)).toEqual(stored.map((l) => l.seq));
      expect(events.at(-1)).toBe('snapshot SUCCESS');
      expect(events.filter((e) => e === 'logs 500').length).toBe(Math.floor(stored.length / 500));
    } finally {
      s.close();
    }
  });
});
