/**
 * The connection to a Docker engine: dockerode's default (DOCKER_HOST, else the local socket)
 * or a task's `host`, plus the reachability check the app's status bar and the runner choice use.
 */
import type Docker from 'dockerode';

const DEFAULT_SOCKET = '/var/run/docker.sock';
/** How long a reachability answer is reused: the status bar and every script task ask. */
const AVAILABILITY_TTL_MS = 5_000;
/** A ping that takes longer than this counts as "not reachable" for choosing a runner. */
const PING_TIMEOUT_MS = 3_000;

export type DockerAvailability = { ok: true; version: string } | { ok: false; reason: string };

/** Where the client connects, in words for error messages. */
export function describeHost(host?: string): string {
  return host ?? process.env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
}

/** dockerode is loaded on first use, so starting the CLI or the app does not pay for it. */
export async function dockerClient(host?: string): Promise<Docker> {
  const { default: Docker } = await import('dockerode');
  if (host === undefined) return new Docker();
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:\/\//, 'http://'));
  return new Docker({
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? 2376 : 2375),
  });
}

interface DockerApiError {
  statusCode?: number;
  code?: string;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
}

function asApiError(err: unknown): DockerApiError {
  return typeof err === 'object' && err !== null ? (err as DockerApiError) : { message: String(err) };
}

export function statusCode(err: unknown): number | undefined {
  return asApiError(err).statusCode;
}

/** The engine's own words for a failed call, without dockerode's "(HTTP code 404) …" wrapping. */
export function dockerErrorMessage(err: unknown): string {
  const e = asApiError(err);
  const fromEngine = e.json?.message;
  if (typeof fromEngine === 'string' && fromEngine.length > 0) return fromEngine.trim();
  return (e.message ?? String(err)).trim();
}

/** True when the call failed because nothing answered, not because the engine said no. */
export function isConnectionError(err: unknown): boolean {
  const code = asApiError(err).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH';
}

async function probe(host?: string): Promise<DockerAvailability> {
  const client = await dockerClient(host);
  try {
    const version = await withTimeout(client.version(), PING_TIMEOUT_MS, 'no answer');
    return { ok: true, version: version.Version };
  } catch (err) {
    return { ok: false, reason: `no Docker engine answers at ${describeHost(host)}: ${dockerErrorMessage(err)}` };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let cached: { at: number; answer: Promise<DockerAvailability> } | undefined;

/** Whether the default Docker engine answers; the answer is reused for a few seconds. */
export function dockerAvailable(): Promise<DockerAvailability> {
  const now = Date.now();
  if (!cached || now - cached.at > AVAILABILITY_TTL_MS) cached = { at: now, answer: probe() };
  return cached.answer;
}
