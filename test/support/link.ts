/**
 * A TCP proxy between a test's client and the server, standing in for the network: it can
 * be cut (every connection dropped, new ones refused, as by a dead link) or stalled (the
 * server-to-client direction stops being read, as by a client that does not read).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { LogDto } from '../../lib/contract';
import type { App } from '../../lib/server/app';

export class TestLink {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private readonly upstreams = new Set<net.Socket>();
  private cut = false;
  private stalled = false;
  cuts = 0;

  constructor(target: number) {
    this.server = net.createServer((client) => {
      if (this.cut) return void client.destroy();
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

  /** Drops every connection and refuses new ones for `ms`. */
  async cutFor(ms: number): Promise<void> {
    this.cut = true;
    this.cuts++;
    for (const s of this.open) s.destroy();
    await new Promise((r) => setTimeout(r, ms));
    this.cut = false;
  }

  /** Stops taking bytes from the server (they pile up on the server's side). */
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

/** Waits until `condition` holds, polling; fails after `ms` naming what it waited for. */
export async function until(condition: () => boolean, ms: number, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`still waiting after ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every stored line of an execution, read page by page as the logs route serves them. */
export async function allStoredLogs(app: App, executionId: string): Promise<LogDto[]> {
  const out: LogDto[] = [];
  for (let after = 0; ; ) {
    const page = await app.runs.logs(executionId, after);
    if (page.length === 0) return out;
    out.push(...page);
    after = page.at(-1)!.seq;
  }
}
