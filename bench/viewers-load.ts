/**
 * A class following one run: V viewers (share-link sockets, in a child process so the
 * server's memory is measured alone) follow a notebook; the teacher starts a run printing
 * N lines. Each viewer's transcript (snapshot, then live lines, by seq) must equal the
 * stored log; prints the server's RSS before the viewers, with them connected, and at its
 * peak during the run.
 * Run: node --expose-gc --import tsx bench/viewers-load.ts [viewers=100] [lines=100000]
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import type { LogDto } from '../lib/contract';
import { isTerminal } from '../lib/model/states';
import { createApp } from '../lib/server/app';
import { startHttpServer } from '../lib/server/http-server';
import { securityConfig } from '../lib/security/config';
import { ViewerTokens } from '../lib/security/viewers';

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function viewersMain(port: number, token: string, notebookId: string, count: number): Promise<void> {
  const digests: string[] = [];
  let ready = 0;
  await new Promise<void>((allDone) => {
    let done = 0;
    for (let i = 0; i < count; i++) {
      const s = connect(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { 'x-flowbook-viewer': token }, reconnection: false, forceNew: true });
      const lines = new Map<number, string>();
      const add = (l: LogDto) => lines.set(l.seq, `${l.seq} ${l.level} ${l.taskId ?? '-'} ${l.message}`);
      s.on('connect', () => s.emit('notebook:subscribe', { notebookId }));
      s.on('server:hello', () => {
        ready += 1;
        if (ready === count) process.send?.({ ready: true });
      });
      s.on('notebook:execution', (e) => {
        if (!lines.size && e.state === 'CREATED') s.emit('execution:subscribe', { executionId: e.id, afterSeq: 0 });
      });
      let finished = false;
      const finish = (lastSeq: number) => {
        if (finished) return;
        finished = true;
        // Lines are numbered gaplessly: the transcript is complete when it holds 1..lastSeq.
        const text = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('\n');
        digests[i] = `${lines.size}:${crypto.createHash('sha256').update(text).digest('hex')}:${lastSeq}`;
        s.close();
        if (++done === count) allDone();
      };
      s.on('execution:logs', (p) => p.logs.forEach(add));
      // A viewer that fell behind catches up in pages and ends on a snapshot, not on the live 'finished'.
      s.on('execution:snapshot', (p) => {
        p.logs.forEach(add);
        if (isTerminal(p.execution.state)) finish(p.lastSeq);
      });
      s.on('execution:log', add);
      s.on('execution:finished', (p) => finish(p.lastSeq));
    }
  });
  process.send?.({ digests });
}

async function serverMain(viewerCount: number, lineCount: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-viewers-'));
  const app = await createApp({ dataDir: dir, database: { kind: 'sqlite', file: path.join(dir, 'flowbook.db') }, migrationsRoot: process.cwd() });
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const viewers = new ViewerTokens();
  const running = await startHttpServer({ app, security: { ...securityConfig({ hostname: '127.0.0.1', port, env: {} }), viewers }, viewers, dev: false, hostname: '127.0.0.1', port, handle: async (_q, res) => void res.end() });
  const { id } = await app.notebooks.create(`id: chatty\nnamespace: bench\ntasks:\n  - id: print\n    type: io.kestra.plugin.scripts.shell.Commands\n    taskRunner:\n      type: io.kestra.plugin.core.runner.Process\n    commands:\n      - seq 1 ${lineCount} | sed 's/^/line /'\n`);
  const { token } = viewers.create(id);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const child = fork(new URL(import.meta.url).pathname, ['viewers', String(port), token, id, String(viewerCount)], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean }) => m.ready && resolve()));
  await new Promise((r) => setTimeout(r, 500));
  global.gc?.();
  const connected = process.memoryUsage().rss;
  let peak = connected;
  let atPeak = process.memoryUsage();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) [peak, atPeak] = [m.rss, m];
  }, 100);
  // RSS peaks with garbage V8 has not collected yet; what the run and its viewers really keep
  // is the heap right after a full collection, sampled each second.
  let liveHeap = 0;
  const liveTimer = setInterval(() => {
    global.gc?.();
    liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
  }, 1000);
  const started = Date.now();
  const result = new Promise<string[]>((resolve) => child.on('message', (m: { digests?: string[] }) => m.digests && resolve(m.digests)));
  const { executionId } = await app.runs.start(id, { mode: 'all' });
  await app.runs.settled(executionId);
  const digests = await result;
  clearInterval(timer);
  clearInterval(liveTimer);
  const elapsed = Date.now() - started;
  const stored = await app.db.logLine.findMany({ where: { executionId }, orderBy: { seq: 'asc' } });
  const text = stored.map((l) => `${l.seq} ${l.level} ${l.taskId ?? '-'} ${l.message}`).join('\n');
  const expected = `${stored.length}:${crypto.createHash('sha256').update(text).digest('hex')}:${stored[stored.length - 1]?.seq ?? 0}`;
  const equal = digests.filter((d) => d === expected).length;
  console.log(`viewers: ${viewerCount}, stored log: ${stored.length} lines, run + delivery: ${(elapsed / 1000).toFixed(1)} s`);
  console.log(`transcripts equal to the stored log: ${equal} of ${digests.length}`);
  console.log(`server RSS: before viewers ${MB(before)}, ${viewerCount} connected ${MB(connected)} (+${MB(connected - before)}, ${((connected - before) / 1024 / viewerCount).toFixed(0)} KB per viewer), peak during the run ${MB(peak)} (+${MB(peak - before)}; there the JS heap held ${MB(atPeak.heapUsed)} of ${MB(atPeak.heapTotal)}, buffers ${MB(atPeak.arrayBuffers)})`);
  console.log(`live JS heap (after a full GC, each second): ${MB(heapBefore)} before the viewers, at most ${MB(liveHeap)} during the run (+${MB(liveHeap - heapBefore)}, ${((liveHeap - heapBefore) / 1024 / viewerCount).toFixed(0)} KB per viewer)`);
  await running.close();
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(equal === digests.length && digests.length === viewerCount ? 0 : 1);
}

if (process.argv[2] === 'viewers') void viewersMain(Number(process.argv[3]), process.argv[4], process.argv[5], Number(process.argv[6]));
else void serverMain(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 100_000));
