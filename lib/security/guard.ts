/**
 * The one check in front of every page, API route, file route and socket.io handshake:
 * the Host and Origin must be this server's (DNS rebinding, cross-site requests), and
 * when a token is configured the request must carry it (cookie, Bearer header, or a
 * `?token=` link that is swapped for a cookie).
 */
import { timingSafeEqual } from 'node:crypto';
import type { SecurityConfig } from './config';

/** Paths anyone may fetch, matched exactly (no prefixes, no suffixes). */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/favicon.ico', '/api/health']);

export interface GuardRequest {
  method: string;
  /** Path and query as received, e.g. `/api/notebooks?q=x`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type GuardResult =
  | { ok: true; setCookie?: string; redirectTo?: string }
  | { ok: false; status: 400 | 401 | 403; reason: string; wantsHtml: boolean };

function header(req: GuardRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function checkRequest(req: GuardRequest, config: SecurityConfig): GuardResult {
  let url: URL;
  try {
    url = new URL(req.url, 'http://placeholder');
  } catch {
    return { ok: false, status: 400, reason: 'malformed request URL', wantsHtml: false };
  }
  const path = url.pathname;
  const wantsHtml = !path.startsWith('/api/') && !path.startsWith('/socket.io') && (header(req, 'accept') ?? '').includes('text/html');

  const host = header(req, 'host')?.toLowerCase();
  if (!host || !config.allowedHosts.has(host)) {
    return { ok: false, status: 403, reason: `host "${host ?? ''}" is not this server`, wantsHtml };
  }
  const origin = header(req, 'origin');
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      const o = new URL(origin);
      if (o.protocol === 'http:' || o.protocol === 'https:') originHost = o.host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (!originHost || !config.allowedHosts.has(originHost)) {
      return { ok: false, status: 403, reason: `cross-origin request from "${origin}" refused`, wantsHtml };
    }
  }

  if (!config.token || PUBLIC_PATHS.has(path)) return { ok: true };

  const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
  if (bearer !== undefined && safeEqual(bearer, config.token)) return { ok: true };
  const cookie = cookieValue(header(req, 'cookie'), config.cookieName);
  if (cookie !== undefined && safeEqual(cookie, config.token)) return { ok: true };
  const query = url.searchParams.get('token');
  if (query !== null && safeEqual(query, config.token)) {
    const setCookie = `${config.cookieName}=${encodeURIComponent(config.token)}; Path=/; HttpOnly; SameSite=Strict`;
    if (req.method === 'GET' && wantsHtml) {
      // Drop the token from the address bar and history once the cookie holds it.
      url.searchParams.delete('token');
      return { ok: true, setCookie, redirectTo: url.pathname + (url.search === '?' ? '' : url.search) };
    }
    return { ok: true, setCookie };
  }
  return { ok: false, status: 401, reason: 'an access token is required', wantsHtml };
}
