/**
 * Finding and ending every process a task started. The runner starts a task's main process as
 * the leader of its own session and process group, with a marker in its environment
 * (FLOWBOOK_TASK_MARK=<token>) that every process it starts inherits. A process that leaves the
 * session (`setsid`, a double fork, a daemon) is re-parented and out of the group, but it keeps
 * the marker; so a task's processes are those of the server's user that carry its marker, or
 * are in its session or group, or descend from one that is. That is found by reading /proc, and
 * also works at the next start after a crash, when only the token is left (run-records.ts).
 *
 * What it cannot see: a process that both clears its environment (`env -i`) and leaves the
 * session. Off Linux (no /proc), only the process group is signalled.
 */
import fs from 'node:fs';

export const MARK_VARIABLE = 'FLOWBOOK_TASK_MARK';

/** How a task's processes are recognised. */
export interface TaskMark {
  /** The marker's value. */
  token: string;
  /** The main process, leader of the task's session and group; unknown after a crash. */
  leader?: number;
}

const POLL_MS = 25;
/** After SIGKILL the kernel needs a moment; longer than this means something is stuck in the kernel. */
const AFTER_KILL_MS = 2_000;
/** Rounds of stopping newly found processes before the kill, against a task forking while it is ended. */
const FREEZE_ROUNDS = 20;

interface Proc {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}

const procAvailable = process.platform === 'linux' && fs.existsSync('/proc/self/environ');

/** Live (not zombie) processes of this user, this server excluded. */
function listProcesses(): Proc[] {
  const uid = process.getuid?.();
  const out: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (uid !== undefined && fs.statSync(`/proc/${entry}`).uid !== uid) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid pgrp session ...
      const [state, ppid, pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      out.push({ pid, ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session) });
    } catch {
      // Ended while we looked.
    }
  }
  return out;
}

function carriesMark(pid: number, needle: Buffer): boolean {
  let environ: Buffer;
  try {
    environ = fs.readFileSync(`/proc/${pid}/environ`);
  } catch {
    return false;
  }
  // One whole NUL-separated entry, not a prefix of a longer value.
  for (let at = environ.indexOf(needle); at >= 0; at = environ.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if ((at === 0 || environ[at - 1] === 0) && (end === environ.length || environ[end] === 0)) return true;
  }
  return false;
}

/** The pids of the task's processes that still run. */
export function findTaskProcesses(mark: TaskMark): number[] {
  if (!procAvailable) return [];
  const needle = Buffer.from(`${MARK_VARIABLE}=${mark.token}`);
  const procs = listProcesses();
  const found = new Set<number>();
  for (const p of procs) {
    const inGroup = mark.leader !== undefined && (p.pgrp === mark.leader || p.session === mark.leader || p.pid === mark.leader);
    if (inGroup || carriesMark(p.pid, needle)) found.add(p.pid);
  }
  // Children of the task's processes are the task's, whatever their environment.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    // ESRCH: already gone; EPERM: it changed user (a setuid program) and is not ours to end.
    if (!isErrno(err, 'ESRCH') && !isErrno(err, 'EPERM')) throw err;
  }
}

/** Signals a process group; false when the group no longer exists. */
function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (err) {
    if (isErrno(err, 'ESRCH')) return false;
    if (isErrno(err, 'EPERM')) return true;
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends every process of the task: SIGTERM, then SIGKILL to whatever is left after `graceMs`
 * (processes that appear meanwhile get their SIGTERM too). Before the kill, what is left is
 * stopped (SIGSTOP) until no new process appears, so a task that forks cannot outrun it.
 * Resolves with how many processes were found, once none runs (or after the kernel had
 * AFTER_KILL_MS to remove them).
 */
export async function endTaskProcesses(mark: TaskMark, graceMs: number): Promise<number> {
  if (!procAvailable) return endGroup(mark, graceMs);
  const seen = new Set<number>();
  const terminate = () => {
    const found = findTaskProcesses(mark);
    for (const pid of found) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      signal(pid, 'SIGTERM');
    }
    return found;
  };
  if (terminate().length === 0) return 0;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    if (terminate().length === 0) return seen.size;
  }
  const stopped = new Set<number>();
  for (let round = 0; round < FREEZE_ROUNDS; round++) {
    const fresh = findTaskProcesses(mark).filter((pid) => !stopped.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      seen.add(pid);
      stopped.add(pid);
      signal(pid, 'SIGSTOP');
    }
  }
  const killDeadline = Date.now() + AFTER_KILL_MS;
  for (;;) {
    const left = findTaskProcesses(mark);
    if (left.length === 0 || Date.now() >= killDeadline) return seen.size;
    for (const pid of left) {
      seen.add(pid);
      signal(pid, 'SIGKILL');
    }
    await sleep(POLL_MS);
  }
}

/** Without /proc: the group is all that can be found. */
async function endGroup(mark: TaskMark, graceMs: number): Promise<number> {
  const pgid = mark.leader;
  if (pgid === undefined || !signalGroup(pgid, 0)) return 0;
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signalGroup(pgid, 0)) return 1;
    await sleep(POLL_MS);
  }
  signalGroup(pgid, 'SIGKILL');
  const killDeadline = Date.now() + AFTER_KILL_MS;
  while (signalGroup(pgid, 0) && Date.now() < killDeadline) await sleep(POLL_MS);
  return 1;
}
