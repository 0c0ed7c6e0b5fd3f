/**
 * Ending a task's whole process tree. The runner starts every task as the leader of its
 * own process group, so a signal to the negative pid reaches the shell and everything
 * it started (background jobs, pipelines, `python` children), not just the first process.
 */
import fs from 'node:fs';

/** Sends a signal to a process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if (isErrno(err, 'ESRCH')) return false;
    // EPERM: a member changed user; the group exists but cannot be signalled by us.
    if (isErrno(err, 'EPERM')) return true;
    throw err;
  }
}

/**
 * Whether any member of the group still runs. Zombies do not count: they are dead, merely
 * waiting for a parent (possibly a container's PID 1) to reap them.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // Fields after the parenthesised command: state ppid pgrp ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}

const POLL_MS = 25;
/** After SIGKILL the kernel needs a moment; longer than this means something is stuck in the kernel. */
const AFTER_KILL_MS = 2_000;

async function waitUntilGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}

/** SIGTERM the group, SIGKILL whatever is left after `graceMs`; resolves once nothing of it runs. */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  if (await waitUntilGone(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitUntilGone(pgid, AFTER_KILL_MS);
}
