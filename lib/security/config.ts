/**
 * Who may talk to this server. Loopback binding needs no token unless FLOWBOOK_TOKEN is
 * set; any other binding requires one: FLOWBOOK_TOKEN, or one generated and printed at
 * start (as Jupyter does). FLOWBOOK_TOKEN set to an empty string on a non-loopback host
 * is refused outright rather than silently serving everyone.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { ViewerLookup } from './viewers';

export interface SecurityConfig {
  hostname: string;
  port: number;
  /** Required on every request when set. */
  token?: string;
  /** True when the token was generated at start and must be shown to the user. */
  tokenGenerated: boolean;
  /** Exact `host:port` values accepted in Host and Origin, lower-case. */
  allowedHosts: ReadonlySet<string>;
  /** Cookie that carries the token; includes the port because cookies ignore ports. */
  cookieName: string;
  /** Share links' viewer tokens (read-only, one notebook each); none accepted without it. */
  viewers?: ViewerLookup;
}

export class SecurityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecurityConfigError';
  }
}

/**
 * The address to listen on: the `--host` flag of the server start, else FLOWBOOK_HOST,
 * else 127.0.0.1. HOSTNAME is never read: Docker, Kubernetes and many shells export it
 * with the machine's own name, and it must not move the listener off loopback unasked.
 */
export function listenHost(opts: { flag?: string; env?: Readonly<Record<string, string | undefined>> }): string {
  const env = opts.env ?? process.env;
  const chosen = opts.flag ?? env.FLOWBOOK_HOST;
  if (chosen === undefined || chosen.trim() === '') {
    if (opts.flag !== undefined) throw new SecurityConfigError('--host needs an address, e.g. --host 0.0.0.0');
    return '127.0.0.1';
  }
  return chosen.trim();
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function isWildcard(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '';
}

function hostWithPort(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${h}:${port}`.toLowerCase();
}

export function securityConfig(opts: { hostname: string; port: number; env?: Readonly<Record<string, string | undefined>> }): SecurityConfig {
  const env = opts.env ?? process.env;
  const { hostname, port } = opts;
  const loopback = isLoopback(hostname);
  let token = env.FLOWBOOK_TOKEN;
  let tokenGenerated = false;
  if (token === '' || (token !== undefined && token.trim() === '')) {
    if (!loopback) {
      throw new SecurityConfigError(`refusing to listen on ${hostname} without an access token: FLOWBOOK_TOKEN is empty. Unset it to get a generated token, or set one.`);
    }
    token = undefined;
  } else if (token === undefined && !loopback) {
    token = randomBytes(24).toString('hex');
    tokenGenerated = true;
  }
  if (token !== undefined && token.length < 16) {
    throw new SecurityConfigError('FLOWBOOK_TOKEN is too short: use at least 16 characters');
  }

  const hosts = new Set<string>(['127.0.0.1', 'localhost', '[::1]'].map((h) => hostWithPort(h, port)));
  if (!loopback && !isWildcard(hostname)) hosts.add(hostWithPort(hostname, port));
  if (isWildcard(hostname)) {
    // Bound to every interface: the machine's own addresses are legitimate hosts.
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) hosts.add(hostWithPort(a.address, port));
    }
    hosts.add(hostWithPort(os.hostname(), port));
  }
  for (const extra of (env.FLOWBOOK_PUBLIC_HOST ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    hosts.add(extra);
    if (!/:\d+$/.test(extra)) hosts.add(hostWithPort(extra, port));
  }
  if (port === 80) for (const h of [...hosts]) hosts.add(h.replace(/:80$/, ''));

  return { hostname, port, token, tokenGenerated, allowedHosts: hosts, cookieName: `flowbook_token_${port}` };
}
