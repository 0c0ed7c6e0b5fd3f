/**
 * A previous server's leftover containers are removed after the server has started, so it
 * answers before the Docker client (some 150 modules, tens of megabytes) has even loaded.
 * No container of this process may be created before that cleanup has run, or it could be
 * taken for a leftover: the runner passes through here first, which runs the cleanup then if
 * it has not run yet. Imports nothing, so deferring loads no Docker code.
 */
let deferred: (() => Promise<unknown>) | undefined;
let done: Promise<void> | undefined;

/** Runs `cleanup` after `delayMs`, or before the first container if one comes sooner. */
export function deferContainerCleanup(cleanup: () => Promise<unknown>, delayMs: number): void {
  deferred = cleanup;
  done = undefined;
  setTimeout(() => void containersMayStart(), delayMs).unref();
}

/** Settles once no leftover cleanup is pending (whether it removed anything or failed). */
export function containersMayStart(): Promise<void> {
  if (deferred && !done) {
    done = deferred().then(
      () => undefined,
      () => undefined,
    );
  }
  return done ?? Promise.resolve();
}
