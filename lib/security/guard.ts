/**
 * The one check in front of every page, API route, file route and socket.io request: the
 * path must be plain as received (see checkPath), the Host and Origin must be this
 * server's (DNS rebinding, cross-site requests), and when a token is configured the
 * request must carry it (cookie, Bearer header, or a `?token=` link that is swapped for a
 * cookie).
 */
import { timingSafeEqual } from 'node:crypto';
import type { SecurityConfig } from './config';
import { viewerMayRequest, type ViewerGrant } from './viewers';

/** Paths anyone may fetch, matched exactly (no prefixes, no suffixes). */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/favicon.ico', '/api/health']);

export interface GuardRequest {
  method: string;
  /** Path and query as received, e.g. `/api/notebooks?q=x`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type GuardResult =
  | { ok: true; setCookie?: string; redirectTo?: string; /** Set when let in by a share link: read-only, one notebook. */ viewer?: ViewerGrant }
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

/**
 * The path of a request target exactly as received, refused when it is not already in
 * its one plain form. The handlers behind the guard route by different readings of the
 * same target (socket.io by the raw prefix, Next.js by the normalised path), so a path
 * that reads differently once normalised (`/socket.io/../api/health`) could be judged by
 * one reading and served by the other. Only origin-form targets (`/…`) are accepted, and
 * none with a `.` or `..` segment, an empty segment (`//`), a backslash, or a
 * percent-encoded dot, slash, backslash or NUL: no page, route or file link of this app
 * needs any of them. The query is not looked at: values in it are data, not path.
 */
export function checkPath(rawUrl: string): { ok: true; path: string } | { ok: false; reason: string } {
  const end = rawUrl.search(/[?#]/);
  const path = end === -1 ? rawUrl : rawUrl.slice(0, end);
  if (!path.startsWith('/')) return { ok: false, reason: 'the request target must be a path starting with /' };
  if (path.includes('\\')) return { ok: false, reason: 'a backslash in the request path is refused' };
  if (/%(2e|2f|5c|00)/i.test(path)) return { ok: false, reason: 'an encoded dot, slash, backslash or NUL in the request path is refused' };
  const segments = path.split('/').slice(1);
  // A trailing slash leaves one empty last segment ("/socket.io/"): that one is allowed.
  for (const [i, segment] of segments.entries()) {
    if (segment === '.' || segment === '..') return { ok: false, reason: 'a dot segment in the request path is refused' };
    if (segment === '' && i < segments.length - 1) return { ok: false, reason: 'an empty segment (//) in the request path is refused' };
  }
  return { ok: true, path };
}

export function checkRequest(req: GuardRequest, config: SecurityConfig): GuardResult {
  // First, before anything reads the path: judge it as the handlers behind will route it.
  const checked = checkPath(req.url);
  if (!checked.ok) return { ok: false, status: 400, reason: checked.reason, wantsHtml: false };
  const path = checked.path;
  let url: URL;
  try {
    url = new URL(req.url, 'http://placeholder');
  } catch {
    return { ok: false, status: 400, reason: 'malformed request URL', wantsHtml: false };
  }
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

  // A share link's viewer token reads one notebook and nothing else, whether or not an
  // access token is configured; the access token, when also sent, wins.
  const viewerToken = viewerCredential(req, url, config);
  if (viewerToken !== undefined && !hasAccessToken(req, url, config)) {
    const grant = config.viewers?.check(viewerToken.value);
    if (!grant) return { ok: false, status: 401, reason: 'this share link is unknown, revoked or expired', wantsHtml };
    if (!viewerMayRequest(req.method, path, grant)) return { ok: false, status: 403, reason: 'a share link can only follow the notebook it was made for: this request is refused', wantsHtml };
    if (!viewerToken.fromQuery) return { ok: true, viewer: grant };
    const setCookie = `${viewerCookieName(config)}=${encodeURIComponent(viewerToken.value)}; Path=/; HttpOnly; SameSite=Strict`;
    if (req.method === 'GET' && wantsHtml) {
      url.searchParams.delete('viewer');
      return { ok: true, setCookie, redirectTo: url.pathname + (url.search === '?' ? '' : url.search), viewer: grant };
    }
    return { ok: true, setCookie, viewer: grant };
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

/** The cookie a share link's token is kept in (beside the access token's, port included). */
export function viewerCookieName(config: SecurityConfig): string {
  return config.cookieName.replace(/^flowbook_token_/, 'flowbook_viewer_');
}

/** A viewer token sent with the request: `?viewer=` (a share link), its cookie, or the X-Flowbook-Viewer header (scripts). */
function viewerCredential(req: GuardRequest, url: URL, config: SecurityConfig): { value: string; fromQuery: boolean } | undefined {
  const query = url.searchParams.get('viewer');
  if (query !== null) return { value: query, fromQuery: true };
  const headerValue = header(req, 'x-flowbook-viewer');
  if (headerValue !== undefined) return { value: headerValue, fromQuery: false };
  const cookie = cookieValue(header(req, 'cookie'), viewerCookieName(config));
  return cookie !== undefined ? { value: cookie, fromQuery: false } : undefined;
}

function hasAccessToken(req: GuardRequest, url: URL, config: SecurityConfig): boolean {
  if (!config.token) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
  if (bearer !== undefined && safeEqual(bearer, config.token)) return true;
  const cookie = cookieValue(header(req, 'cookie'), config.cookieName);
  if (cookie !== undefined && safeEqual(cookie, config.token)) return true;
  const query = url.searchParams.get('token');
  return query !== null && safeEqual(query, config.token);
}
