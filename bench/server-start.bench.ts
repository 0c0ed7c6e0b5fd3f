/**
 * How long the server takes from spawn to its first 200 on /api/health, and how much memory
 * it holds once idle, against a bare `http.createServer` started the same way.
 *
 * Needs a web build first (`npm run build`, under `flock /tmp/flowbook-e2e.lock` where
 * several people share the checkout): the server serves `.next` as `npm start` does, and is
 * spawned the way scripts/start.mjs spawns it (the compiled server when this checkout has
 * one, else `node --import tsx server.ts`), without start.mjs's own build checks. Every run
 * restarts on the same data directory, as a restart of a server already in use does; the
 * warm-up run is the first start that creates it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, Measure } from './harness';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Idle: after the first answer, the server is left alone this long before its memory is read. */
const SETTLE_MS = 1_000;

let dataDir = '';
let serverArgs: string[] = [];

/** What start.mjs runs: the compiled server (built now if a source changed: not timed), else tsx. */
async function serverCommand(): Promise<string[]> {
  const compiler = path.join(ROOT, 'scripts/dist/fresh.mjs');
  if (!fs.existsSync(compiler)) return ['--import', 'tsx', path.join(ROOT, 'server.ts')];
  const { compiledEntry } = (await import(compiler)) as { compiledEntry(name: string): Promise<string> };
  return [await compiledEntry('server')];
}

const BARE = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready on http://127.0.0.1:' + process.env.PORT + '/'));`;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A port free now: the server checks the Host header against the port it was given, so not 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Spawns, waits for the "ready on URL" line, then asks /api/health until it answers 200. */
async function startAndAsk(args: string[], healthPath: string): Promise<Measure> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), FLOWBOOK_DATA_DIR: dataDir, FLOWBOOK_HOST: '127.0.0.1' },
  });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /ready on (http:\/\/\S+?)\/?\s/.exec(output);
        if (found) resolve(found[1]);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${output.slice(-1000)}`)));
    });
    for (;;) {
      const res = await fetch(`${url}/${healthPath}`).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.status === 200) break;
      if (res) throw new Error(`/${healthPath} answered ${res.status}`);
      if (child.exitCode !== null) throw new Error(`the server exited:\n${output.slice(-1000)}`);
    }
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { ms, extra: { idleRssMb: rssMb(child.pid!) } };
  } finally {
    await stop(child);
  }
}

const bench: Benchmark = {
  id: 'server-start',
  title: 'Server start after a build, to the first 200 of /api/health',
  target: '≤ 1 s to the first answer, idle RSS ≤ 200 MB',
  async setup() {
    if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('no web build: run `npm run build` first');
    serverArgs = await serverCommand();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-server-start-'));
  },
  async teardown() {
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
  baseline: {
    name: 'bare http.createServer',
    run: () => startAndAsk(['-e', BARE], ''),
  },
  subject: {
    name: 'flowbook server',
    run: () => startAndAsk(serverArgs, 'api/health'),
  },
  verdict(o) {
    const rss = o.subject.extra.idleRssMb;
    return {
      met: o.subject.median <= 1000 && rss <= 200,
      figure: `${(o.subject.median / 1000).toFixed(2)} s to the first answer, idle RSS ${rss.toFixed(0)} MB (bare server ${o.baseline.extra.idleRssMb.toFixed(0)} MB)`,
    };
  },
};

export default bench;
