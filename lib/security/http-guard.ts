/**
 * The guard as Node HTTP middleware for server.ts: refuses malformed paths, foreign
 * hosts/origins and requests without the token, swaps a `?token=` link for a cookie, and
 * puts the per-request CSP (with its nonce) on both the request (Next reads it there) and
 * the response. socket.io's requests pass the same check through guardSocketRequest.
 */
import type http from 'node:http';
import type { SecurityConfig } from './config';
import { checkRequest, type GuardResult } from './guard';
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, newNonce } from './headers';
import { tokenPage } from './token-page';
import type { ViewerGrant } from './viewers';

function verdictOf(req: http.IncomingMessage, config: SecurityConfig): GuardResult {
  return checkRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, config);
}

function refuse(res: http.ServerResponse, verdict: Extract<GuardResult, { ok: false }>): void {
  res.statusCode = verdict.status;
  res.setHeader('Cache-Control', 'no-store');
  if (verdict.wantsHtml && verdict.status === 401) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(tokenPage(verdict.reason));
  } else {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: verdict.reason }));
  }
}

/** Returns true when the request may go on to Next; otherwise it has been answered. */
export function guardHttp(req: http.IncomingMessage, res: http.ServerResponse, config: SecurityConfig, dev: boolean): boolean {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, dev);
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('Content-Security-Policy', csp);

  const verdict = verdictOf(req, config);
  if (!verdict.ok) {
    refuse(res, verdict);
    return false;
  }
  if (verdict.setCookie) res.setHeader('Set-Cookie', verdict.setCookie);
  if (verdict.redirectTo) {
    res.statusCode = 302;
    res.setHeader('Location', verdict.redirectTo);
    res.end();
    return false;
  }
  req.headers['content-security-policy'] = csp;
  req.headers['x-nonce'] = nonce;
  return true;
}

/**
 * The same check for one socket.io (engine.io) request: the handshake, every long-poll
 * and post of a session, and the websocket upgrade. A session id is not a credential, so
 * each request must carry the token again. Returns true when it may go on; otherwise it
 * has been answered (an upgrade's socket is closed).
 */
export function guardSocketRequest(req: http.IncomingMessage, res: http.ServerResponse, config: SecurityConfig): boolean {
  const verdict = verdictOf(req, config);
  if (!verdict.ok) {
    refuse(res, verdict);
    return false;
  }
  if (verdict.setCookie) res.setHeader('Set-Cookie', verdict.setCookie);
  return true;
}

/** Whether the credentials a request was let in with are still good (checked again per socket event). */
export function stillAuthorised(req: http.IncomingMessage, config: SecurityConfig): boolean {
  return verdictOf(req, config).ok;
}

/** The share link a request was let in with, if it was (read-only, one notebook); undefined for full access or a refusal. */
export function viewerGrantOf(req: http.IncomingMessage, config: SecurityConfig): ViewerGrant | undefined {
  const verdict = verdictOf(req, config);
  return verdict.ok ? verdict.viewer : undefined;
}
