import { describe, expect, it } from 'vitest';
import { securityConfig, SecurityConfigError } from './config';
import { checkPath, checkRequest, type GuardRequest } from './guard';
import { contentSecurityPolicy } from './headers';

const TOKEN = 'a-long-enough-test-token-1234';
const local = securityConfig({ hostname: '127.0.0.1', port: 3000, env: {} });
const guarded = securityConfig({ hostname: '127.0.0.1', port: 3000, env: { FLOWBOOK_TOKEN: TOKEN } });

const req = (url: string, headers: GuardRequest['headers'] = {}, method = 'GET'): GuardRequest => ({
  method,
  url,
  headers: { host: '127.0.0.1:3000', ...headers },
});

describe('binding', () => {
  it('needs no token on loopback, and generates one for any other address', () => {
    expect(local.token).toBeUndefined();
    const lan = securityConfig({ hostname: '0.0.0.0', port: 3000, env: {} });
    expect(lan.token).toMatch(/^[0-9a-f]{48}$/);
    expect(lan.tokenGenerated).toBe(true);
    expect(securityConfig({ hostname: '192.168.1.20', port: 3000, env: { FLOWBOOK_TOKEN: TOKEN } }).token).toBe(TOKEN);
  });

  it('refuses to start on a non-loopback address with an empty token', () => {
    expect(() => securityConfig({ hostname: '0.0.0.0', port: 3000, env: { FLOWBOOK_TOKEN: '' } })).toThrow(SecurityConfigError);
  });
});

describe('host and origin (DNS rebinding, cross-site)', () => {
  it('accepts this server by loopback names', () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'LOCALHOST:3000']) {
      expect(checkRequest(req('/', { host }), local).ok).toBe(true);
    }
  });

  it('refuses a foreign Host, a missing Host, or another port', () => {
    for (const host of ['evil.example:3000', 'localhost', '127.0.0.1:3001', 'localhost.evil.example:3000', undefined]) {
      const v = checkRequest(req('/api/notebooks', { host }), local);
      expect(v).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('refuses a foreign Origin, also on the same host name with another port or scheme tricks', () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:3001', 'null', 'file://', 'http://127.0.0.1:3000.evil.example']) {
      expect(checkRequest(req('/api/notebooks', { origin }, 'POST'), local)).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkRequest(req('/api/notebooks', { origin: 'http://localhost:3000' }, 'POST'), local).ok).toBe(true);
  });

  it('accepts the configured public host', () => {
    const pub = securityConfig({ hostname: '127.0.0.1', port: 3000, env: { FLOWBOOK_PUBLIC_HOST: 'flowbook.example.org' } });
    expect(checkRequest(req('/', { host: 'flowbook.example.org:3000' }), pub).ok).toBe(true);
    expect(checkRequest(req('/', { host: 'flowbook.example.org' }), pub).ok).toBe(true);
  });
});

describe('token', () => {
  it('is required on pages, API routes, files and socket.io', () => {
    for (const url of ['/', '/notebooks/x', '/api/notebooks', '/api/executions/e/files/download?uri=kestra:///a', '/socket.io/?EIO=4&transport=polling', '/_next/static/chunk.js']) {
      expect(checkRequest(req(url), guarded)).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('opens exactly the public paths, with no prefix or suffix matching', () => {
    expect(checkRequest(req('/api/health'), guarded).ok).toBe(true);
    expect(checkRequest(req('/favicon.ico'), guarded).ok).toBe(true);
    for (const url of ['/api/health/', '/api/healthz', '/api/health/../notebooks', '/favicon.ico.js', '/x/favicon.ico', '/api/health%2F..%2Fnotebooks']) {
      expect(checkRequest(req(url), guarded).ok).toBe(false);
    }
  });

  it('accepts a Bearer header or the cookie, and refuses a wrong one', () => {
    expect(checkRequest(req('/api/notebooks', { authorization: `Bearer ${TOKEN}` }), guarded).ok).toBe(true);
    expect(checkRequest(req('/api/notebooks', { cookie: `other=1; ${guarded.cookieName}=${TOKEN}` }), guarded).ok).toBe(true);
    expect(checkRequest(req('/api/notebooks', { authorization: `Bearer ${TOKEN}x` }), guarded).ok).toBe(false);
    expect(checkRequest(req('/api/notebooks', { cookie: `${guarded.cookieName}=nope` }), guarded).ok).toBe(false);
  });

  it('swaps a ?token= link for an HttpOnly cookie and drops it from the address', () => {
    const v = checkRequest(req(`/notebooks/abc?token=${TOKEN}&x=1`, { accept: 'text/html' }), guarded);
    expect(v).toEqual({
      ok: true,
      setCookie: `${guarded.cookieName}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`,
      redirectTo: '/notebooks/abc?x=1',
    });
  });

  it('a right token does not excuse a foreign host', () => {
    expect(checkRequest(req('/api/notebooks', { host: 'evil.example:3000', authorization: `Bearer ${TOKEN}` }), guarded).ok).toBe(false);
  });
});

describe('paths as received', () => {
  it('refuses, before anything else, a path that would read differently once normalised', () => {
    const refused = [
      '/socket.io/../api/health?EIO=4&transport=polling',
      '/api/../socket.io/',
      '/socket.io/%2e%2e/api/notebooks',
      '/socket.io/%2E./api/health',
      '/api/health%2fx',
      '/api/health%5Cx',
      '/api/health%00',
      '//api/health',
      '/api//health',
      '/api/./health',
      '/api/health/.',
      '/api\\health',
      'api/health',
      'http://127.0.0.1:3000/api/health',
      '*',
    ];
    for (const url of refused) {
      expect({ url, ok: checkPath(url).ok }).toEqual({ url, ok: false });
      // Even with the token, and on a server without one: malformed, not unauthorised.
      expect(checkRequest(req(url, { authorization: `Bearer ${TOKEN}` }), guarded)).toMatchObject({ ok: false, status: 400 });
      expect(checkRequest(req(url), local)).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('keeps plain paths, dots inside names, a trailing slash, and anything in the query', () => {
    for (const url of ['/', '/socket.io/?EIO=4&transport=polling', '/api/kv/ns/my.key..v2', '/_next/static/chunks/%5Broot%5D.js', '/api/executions/e/files/download?uri=kestra%3A%2F%2F%2Fa%2F..%2Fb', '/notebooks/x#../y']) {
      expect({ url, ok: checkPath(url).ok }).toEqual({ url, ok: true });
    }
    expect(checkPath('/api/health?x=/../').ok && checkPath('/api/health?x=/../')).toEqual({ ok: true, path: '/api/health' });
  });
});

describe('content security policy', () => {
  it('allows scripts only by nonce in production, and forbids framing', () => {
    const csp = contentSecurityPolicy('abc', false);
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
