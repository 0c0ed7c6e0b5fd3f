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
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionStore, type FlowbookSocket } from '../../lib/client/execution-store';
import type { App } from '../../lib/server/app';
import { attachRealtime, type RealtimeServer } from '../../lib/realtime/server';
import { HIGH_WATER_BYTES, pendingBytes } from '../../lib/realtime/backpressure';
import { securityConfig } from '../../lib/security/config';
import { testApp } from './harness';

const TOKEN = 'slow-follower-token-0123456789';
const LINES = 150_000;
const PAD = 'x'.repeat(120);

/** A TCP proxy whose server-to-client direction can be stopped, as a client that does not read. */
class StallableLink {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private readonly upstreams = new Set<net.Socket>();
  private stalled = false;

  constructor(target: number) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => undefined);
      }
      this.upstreams.add(upstream);
      upstream.on('close', () => this.upstreams.delete(upstream));
      client.pipe(upstream);
      upstream.on('data', (chunk) => {
        if (!client.write(chunk)) upstream.pause();
      });
      client.on('drain', () => {
        if (!this.stalled) upstream.resume();
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  stall(): void {
    this.stalled = true;
    for (const u of this.upstreams) u.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const u of this.upstreams) u.resume();
  }

  close(): void {
    for (const s of this.open) s.destroy();
    this.server.close();
  }
}

let app: App;
let server: http.Server;
let io: RealtimeServer;
let link: StallableLink;
let port: number;
let linkPort: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  link = new StallableLink(port);
  linkPort = await link.listen();
  // Both clients name the host they dial; the guard accepts either as this server's.
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

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`still waiting after ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function allStoredLogs(executionId: string) {
  const out = [];
  for (let after = 0; ; ) {
    const chunk = await app.runs.logs(executionId, after);
    if (chunk.length === 0) return out;
    out.push(...chunk);
    after = chunk.at(-1)!.seq;
  }
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

      const stored = await allStoredLogs(executionId);
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
      const stored = await allStoredLogs(executionId);
      expect(store.get(executionId)!.logs.all.map((l) => l.seq)).toEqual(stored.map((l) => l.seq));
      expect(events.at(-1)).toBe('snapshot SUCCESS');
      expect(events.filter((e) => e === 'logs 500').length).toBe(Math.floor(stored.length / 500));
    } finally {
      s.close();
    }
  });
});
