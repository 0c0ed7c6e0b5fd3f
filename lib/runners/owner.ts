/**
 * Which Flowbook process owns a run, written into run records and container labels as
 * `<hostname>:<pid>:<start time>`. The start time tells a live owner from a new process that got
 * the same pid after a crash (in a container the server restarts with the same pid every time).
 */
import fs from 'node:fs';
import os from 'node:os';

/** The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined off Linux. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: string | undefined;

/** This process as an owner. */
export function ownerId(): string {
  self ??= [os.hostname(), process.pid, processStartTime(process.pid) ?? ''].join(':');
  return self;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM';
  }
}

/**
 * Whether the owner still runs: this very process, or another live one on this host (whose
 * runs are its own business). An owner on another host, or in an unknown form, counts as gone.
 */
export function ownerAlive(owner: string | undefined): boolean {
  if (owner === undefined) return false;
  if (owner === ownerId()) return true;
  // Host names hold no colon: `<host>:<pid>` (older labels) or `<host>:<pid>:<start time>`.
  const match = /^([^:]*):(\d+)(?::(\d*))?$/.exec(owner);
  if (!match || match[1] !== os.hostname()) return false;
  const pid = Number(match[2]);
  const started = match[3];
  if (pid === process.pid) return started === undefined || started === '' ? true : started === processStartTime(pid);
  if (!pidAlive(pid)) return false;
  return started === undefined || started === '' || started === processStartTime(pid);
}
