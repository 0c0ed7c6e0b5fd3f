/**
 * Request bodies are read as a stream with a cap: a body past it is answered 413 at once,
 * and the server keeps none of it. The route handlers run behind the real HTTP server,
 * given the request body as Next.js gives it (the Node request as a pull-based stream).
 * The memory figure is a loose sanity bound, not a benchmark.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/server/app';
import { installApp } from '../../lib/server/app-holder';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { securityConfig } from '../../lib/security/config';
import { MAX_JSON_BODY_BYTES } from '../../lib/api/http';
import * as notebooks from '../../app/api/notebooks/route';
import { LOG_FLOW, testApp } from './harness';

let app: App;
let running: RunningServer;
let port: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
  // A free port first: the allowed Host names carry the real port.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  running = await startHttpServer({
    app,
    security: securityConfig({ hostname: '127.0.0.1', port, env: {} }),
    dev: false,
    hostname: '127.0.0.1',
    port,
    handle: async (req, res) => {
      // As Next.js builds a route's Request: the Node request itself as the body.
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
        body: req as unknown as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit);
      const answer = await notebooks.POST(request, { params: Promise.resolve({}) });
      res.statusCode = answer.status;
      answer.headers.forEach((v, k) => res.setHeader(k, v));
      res.end(Buffer.from(await answer.arrayBuffer()));
    },
  });
});
afterAll(async () => {
  installApp(undefined);
  await running?.close();
  await app?.close();
});

/**
 * POSTs `size` bytes of a JSON body to /api/notebooks, written as the socket drains (the
 * client holds one 64 KiB chunk), on a keep-alive connection as browsers and curl use,
 * and stops sending once the answer arrives, as curl does.
 */
function postLarge(size: number, opts: { declareLength: boolean }): Promise<{ status: number; body: string; sent: number }> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const head = Buffer.from('{"yaml":"');
  const tail = Buffer.from('"}');
  return new Promise((resolve, reject) => {
    let answered = false;
    let sent = 0;
    const agent = new http.Agent({ keepAlive: true });
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/notebooks',
        agent,
        headers: { 'content-type': 'application/json', ...(opts.declareLength ? { 'content-length': String(size) } : {}) },
      },
      (res) => {
        answered = true;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          req.destroy();
          agent.destroy();
          resolve({ status: res.statusCode ?? 0, body, sent });
        });
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const write = () => {
      while (!answered && sent < size) {
        const left = size - sent;
        const part = sent === 0 ? head : left <= tail.length ? tail.subarray(0, left) : chunk.subarray(0, Math.min(chunk.length, left - tail.length));
        sent += part.length;
        if (!req.write(part)) {
          req.once('drain', write);
          return;
        }
      }
      if (!answered) req.end();
    };
    write();
  });
}

// A collected heap before each measure, so the bound is about this request, not earlier garbage.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** The highest RSS growth while `work` runs, sampled every few milliseconds. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  collect();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - before) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

describe('JSON request bodies', () => {
  it('accepts a body under the cap', async () => {
    const ok = await fetch(`http://127.0.0.1:${port}/api/notebooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ yaml: LOG_FLOW }) });
    expect(ok.status).toBe(201);
  });

  it('answers a 50 MB body with 413 and a clear message, without keeping it (declared length, then chunked)', async () => {
    const size = 50 * 1024 * 1024;
    expect(size).toBeGreaterThan(MAX_JSON_BODY_BYTES);
    // A declared length over the cap is refused before a byte is read. A chunked body has
    // to be read up to the cap before it can be refused, and each byte read lives for a
    // moment as the socket's buffer and the stream's copy: a few times the cap at most,
    // until the next collection. Both are far from the whole body (about 160 MB before).
    const bounds = { declared: 40, chunked: 60 };
    for (const declareLength of [true, false]) {
      const { result, growthMb } = await peakGrowth(() => postLarge(size, { declareLength }));
      console.log(`50 MB body, ${declareLength ? 'Content-Length' : 'chunked'}: ${result.status} after ${(result.sent / 1024 / 1024).toFixed(1)} MB sent, RSS growth ${growthMb.toFixed(1)} MB`);
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toEqual({ error: expect.stringContaining('larger than 10 MB') });
      expect(result.sent).toBeLessThan(size);
      expect(growthMb).toBeLessThan(declareLength ? bounds.declared : bounds.chunked);
    }
    // The server is still fine afterwards.
    const after = await fetch(`http://127.0.0.1:${port}/api/notebooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ yaml: LOG_FLOW }) });
    expect(after.status).toBe(201);
  });
});
