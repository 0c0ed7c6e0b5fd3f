/**
 * The guard as Node HTTP middleware for server.ts: refuses foreign hosts/origins and
 * requests without the token, swaps a `?token=` link for a cookie, and puts the
 * per-request CSP (with its nonce) on both the request (Next reads it there) and the
 * response.
 */
import type http from 'node:http';
import type { SecurityConfig } from './config';
import { checkRequest } from './guard';
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, newNonce } from './headers';
import { tokenPage } from './token-page';

/** Returns true when the request may go on to Next; otherwise it has been answered. */
export function guardHttp(req: http.IncomingMessage, res: http.ServerResponse, config: SecurityConfig, dev: boolean): boolean {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, dev);
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('Content-Security-Policy', csp);

  const verdict = checkRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, config);
  if (!verdict.ok) {
    res.statusCode = verdict.status;
    res.setHeader('Cache-Control', 'no-store');
    if (verdict.wantsHtml && verdict.status === 401) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(tokenPage(verdict.reason));
    } else {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: verdict.reason }));
    }
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
