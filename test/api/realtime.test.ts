/**
 * socket.io as a browser meets it: the handshake guard, and an execution's log stream
 * (snapshot, then live lines, then finished) with a reconnect that resumes by seq.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/server/app';
import { WIRE_VERSION } from '../../lib/contract';
import type { ClientToServerEvents, ExecutionFinishedPayload, ExecutionSnapshotPayload, LogDto, ServerToClientEvents } from '../../lib/contract';
import { attachRealtime, type RealtimeServer } from '../../lib/realtime/server';
import { securityConfig } from '../../lib/security/config';
import { testApp } from './harness';

const TOKEN = 'realtime-test-token-0123456789';
let app: App;
let server: http.Server;
let io: RealtimeServer;
let port: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  io = attachRealtime(server, { db: app.db, persister: app.persister, security: securityConfig({ hostname: '127.0.0.1', port, env: { FLOWBOOK_TOKEN: TOKEN } }) });
});
afterAll(async () => {
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await app.close();
});

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function client(headers: Record<string, string>): Client {
  return connect(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['polling', 'websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
}

function outcome(socket: Client): Promise<'connected' | string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

describe('socket.io handshake', () => {
  it('refuses a client without the token, with a wrong one, or from a foreign origin', async () => {
    const cases: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' }];
    for (const headers of cases) {
      const s = client(headers);
      expect(await outcome(s)).not.toBe('connected');
      s.close();
    }
  });

  it('accepts the token as a Bearer header or cookie from this origin, and says which wire version it speaks', async () => {
    for (const headers of <Record<string, string>[]>[{ authorization: `Bearer ${TOKEN}` }, { cookie: `flowbook_token_${port}=${TOKEN}`, origin: `http://localhost:${port}` }]) {
      const s = client(headers);
      const hello = new Promise<{ wireVersion: number }>((resolve) => s.once('server:hello', resolve));
      expect(await outcome(s)).toBe('connected');
      expect(await hello).toEqual({ wireVersion: WIRE_VERSION });
      s.close();
    }
  });
});

describe('a socket without the token', () => {
  // The websocket client normalises its URL, so the climbing path is tried over polling
  // here; test/api/server.test.ts sends it raw as an upgrade too.
  it('gets no snapshot, also through a path that climbs to a public route or over a websocket only', async () => {
    const { id } = await app.notebooks.create('id: private\nnamespace: test.app\ntasks:\n  - id: only\n    type: io.kestra.plugin.core.debug.Return\n    format: private-value\n');
    const { executionId } = await app.runs.start(id, { mode: 'all' });
    await app.runs.settled(executionId);
    const attempts: { path: string; transports: ('polling' | 'websocket')[] }[] = [
      { path: '/socket.io/../api/health', transports: ['polling'] },
      { path: '/socket.io', transports: ['polling'] },
      { path: '/socket.io', transports: ['websocket'] },
    ];
    for (const attempt of attempts) {
      const s: Client = connect(`http://127.0.0.1:${port}`, { ...attempt, addTrailingSlash: attempt.path === '/socket.io', reconnection: false, forceNew: true });
      const got = await new Promise<string>((resolve) => {
        s.once('connect_error', (err) => resolve(`refused: ${err.message}`));
        s.once('connect', () => s.emit('execution:subscribe', { executionId }));
        s.once('execution:snapshot', () => resolve('snapshot'));
        s.once('subscribe:error', (e) => resolve(`subscribe error: ${e.error}`));
        s.once('disconnect', () => resolve('disconnected'));
        setTimeout(() => resolve('nothing'), 3000);
      });
      s.close();
      expect({ ...attempt, got }).toMatchObject({ ...attempt, got: expect.not.stringMatching(/^snapshot$/) });
      expect(got).toMatch(/^refused/);
    }
  });
});

describe('execution stream', () => {
  it('snapshot then live lines, finished after the last line, and a reconnect resumes with no gap or duplicate', async () => {
    const { id } = await app.notebooks.create(`id: stream
namespace: test.app
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - for i in $(seq 1 50); do echo "line $i"; sleep 0.02; done
`);
    const { executionId } = await app.runs.start(id, { mode: 'all' });

    // First client: subscribes, takes a few lines, then drops off mid-run.
    const first = client({ authorization: `Bearer ${TOKEN}` });
    expect(await outcome(first)).toBe('connected');
    const seen: LogDto[] = [];
    await new Promise<void>((resolve) => {
      first.on('execution:snapshot', (snap: ExecutionSnapshotPayload) => {
        seen.push(...snap.logs);
        if (seen.length >= 5) resolve();
      });
      first.on('execution:log', (log) => {
        seen.push(log);
        if (seen.length >= 5) resolve();
      });
      first.emit('execution:subscribe', { executionId });
    });
    first.close();
    const lastSeq = seen[seen.length - 1].seq;

    // Second client: resumes after the last seq it had.
    const second = client({ authorization: `Bearer ${TOKEN}` });
    expect(await outcome(second)).toBe('connected');
    const order: string[] = [];
    const finished = await new Promise<ExecutionFinishedPayload>((resolve) => {
      second.on('execution:snapshot', (snap) => {
        order.push('snapshot');
        seen.push(...snap.logs);
      });
      second.on('execution:log', (log) => {
        order.push('log');
        seen.push(log);
      });
      second.on('execution:finished', (p) => {
        order.push('finished');
        resolve(p);
      });
      second.emit('execution:subscribe', { executionId, afterSeq: lastSeq });
    });
    second.close();

    const seqs = seen.map((l) => l.seq);
    expect(seqs).toEqual(Array.from({ length: finished.lastSeq }, (_, i) => i + 1));
    expect(seen.filter((l) => l.message.startsWith('line ')).map((l) => l.message)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 1}`));
    expect(order[0]).toBe('snapshot');
    expect(order[order.length - 1]).toBe('finished');
    expect(finished.execution.state).toBe('SUCCESS');
  });
});
