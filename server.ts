/**
 * Flowbook's one process: Next.js (App Router), socket.io and the engine on one port.
 * `npm run dev` runs it with `node --import tsx server.ts [--host ADDRESS]`; `npm start`
 * (scripts/start.mjs, which passes its arguments on) runs it compiled, as
 * dist/server/server.js (scripts/dist/build.mjs). The address comes from --host, else
 * FLOWBOOK_HOST, else 127.0.0.1; the port from PORT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import next from 'next';
import { createApp } from './lib/server/app';
import { installApp } from './lib/server/app-holder';
import { dataDirFromEnv, databaseFromEnv } from './lib/db/config';
import { startHttpServer } from './lib/server/http-server';
import { shareLinks } from './lib/server/share';
import { securityConfig, isLoopback, listenHost } from './lib/security/config';

const ROOT = path.dirname(new URL(import.meta.url).pathname);

/**
 * In production, Next reads its configuration as the build wrote it
 * (.next/required-server-files.json) instead of compiling next.config.ts again with the SWC
 * compiler, which cost 0.9 s and 30 MB at every start on a loaded 2-core machine. This is how
 * Next's own standalone server starts; without a build, Next's usual loading applies.
 */
function useBuiltNextConfig(): void {
  if (process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) return;
  try {
    const built = JSON.parse(fs.readFileSync(path.join(ROOT, '.next', 'required-server-files.json'), 'utf8')) as { config?: unknown };
    if (built.config) process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(built.config);
  } catch {
    // No build yet: next() reports that itself.
  }
}

async function main(): Promise<void> {
  const dev = process.env.NODE_ENV !== 'production';
  const { values: args } = parseArgs({ args: process.argv.slice(2), options: { host: { type: 'string' } }, strict: true, allowPositionals: false });
  const hostname = listenHost({ flag: args.host, env: process.env });
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  // Share links (read-only viewer tokens) are checked by the same guard.
  const viewers = shareLinks();
  const security = { ...securityConfig({ hostname, port }), viewers };

  const dataDir = dataDirFromEnv();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  if (!dev) useBuiltNextConfig();
  const nextApp = next({ dev, dir: ROOT, hostname, port, turbopack: dev });
  // The two halves start side by side: much of the app's start is waiting (the database
  // client's query compiler compiles off the main thread), which Next's loading fills.
  // Nothing is served before both are ready.
  const [app] = await Promise.all([
    createApp({
      dataDir,
      database: databaseFromEnv(dataDir),
      samplesDir: path.join(ROOT, 'flows'),
      version: pkg.version,
      migrationsRoot: ROOT,
    }),
    nextApp.prepare(),
  ]);
  installApp(app);
  app.scheduler.start();
  const handle = nextApp.getRequestHandler();
  const upgrade = nextApp.getUpgradeHandler();

  const running = await startHttpServer({ app, security, viewers, dev, hostname, port, handle, upgrade });
  const actualPort = running.port;
  const shownHost = hostname.includes(':') ? `[${hostname}]` : hostname;
  app.bind = `${shownHost}:${actualPort}`;
  const url = `http://${isLoopback(hostname) ? shownHost : shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${actualPort}/`;
  console.log(`flowbook: ready on ${url} (${app.database.kind} database, data in ${dataDir})`);
  if (security.token) {
    console.log(`flowbook: access token required. Open ${url}?token=${security.tokenGenerated ? security.token : '<FLOWBOOK_TOKEN>'}`);
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`flowbook: ${signal}: stopping`);
    void running.close();
    void app
      .close()
      .then(() => nextApp.close())
      .finally(() => process.exit(0));
    // A task that ignores cancellation must not keep the process alive.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`flowbook: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
