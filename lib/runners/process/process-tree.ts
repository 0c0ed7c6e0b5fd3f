/**
 * Ending a task's whole process tree. The runner starts every task as the leader of its
 * own process group, so a signal to the negative pid reaches the shell and everything
 * it started (background jobs, pipelines, `python` children), not just the first process.
 */

/** Sends a signal to a process group; false when nothing in the group is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if (isErrno(err, 'ESRCH')) return false;
    // EPERM means a member changed user: the group still exists, but we cannot end it.
    if (isErrno(err, 'EPERM')) return true;
    throw err;
  }
}

export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}

/**
 * SIGTERM the group, then SIGKILL whatever is still there after `graceMs`.
 * Resolves once the group is gone or SIGKILL was sent.
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (!groupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}
