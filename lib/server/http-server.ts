/**
 * The HTTP server every request meets: the security guard first, then the page/API
 * handler (Next.js in server.ts), with socket.io on the same port. socket.io's requests
 * are told apart exactly as engine.io routes them (isSocketRequest) and pass the same
 * guard inside engine.io; every other request and upgrade passes guardHttp here.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { App } from './app';
import type { SecurityConfig } from '../security/config';
import { guardHttp } from '../security/http-guard';
import type { ViewerTokens } from '../security/viewers';
import { attachRealtime, isSocketRequest, type RealtimeServer } from '../realtime/server';

export interface HttpServerOptions {
  app: App;
  /** Its `viewers` should be `viewers` below, so share links are accepted. */
  security: SecurityConfig;
  /** Share links (read-only viewer tokens); without it none is accepted. */
  viewers?: ViewerTokens;
  dev: boolean;
  hostname: string;
  port: number;
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** Upgrades that are not socket.io (Next's dev reload socket). */
  upgrade?(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

export interface RunningServer {
  server: http.Server;
  io: RealtimeServer;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const { app, security, dev } = opts;
  const server = http.createServer((req, res) => {
    if (!guardHttp(req, res, security, dev)) return;
    opts.handle(req, res).catch((err: unknown) => {
      console.error('flowbook: request failed:', err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  const io = attachRealtime(server, { db: app.db, persister: app.persister, security, viewers: opts.viewers });
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    if (isSocketRequest(req.url)) return; // socket.io's own listener (with the guard) answers
    const probe = new http.ServerResponse(req);
    if (!opts.upgrade || !guardHttp(req, probe, security, dev)) {
      socket.destroy();
      return;
    }
    void opts.upgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    io,
    port,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
