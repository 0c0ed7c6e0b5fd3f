/** Process checks for tests that make sure a cancel left nothing running. */
import fs from 'node:fs';

/** A process that is gone, or a zombie nobody reaped yet (PID 1 in a container may not reap). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
