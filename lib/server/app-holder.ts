/**
 * Where route handlers find the running app. server.ts builds it outside Next's bundle
 * and installs it on globalThis; handlers run in the same process, so this holder is the
 * bridge (and keeps the engine out of the route bundles).
 */
import type { App } from './app';

const APP_KEY = Symbol.for('flowbook.app');
type Holder = { [APP_KEY]?: App };

export function installApp(app: App | undefined): void {
  (globalThis as Holder)[APP_KEY] = app;
}

export function getApp(): App {
  const app = (globalThis as Holder)[APP_KEY];
  if (!app) throw new Error('Flowbook is not started: run the server with `node --import tsx server.ts` (npm run dev / npm start)');
  return app;
}
