/**
 * The time a log line is stamped with, as ISO-8601. A chatty task prints hundreds of lines
 * in a millisecond, and formatting a Date for each was a measurable part of the engine's
 * thread; the text of the current millisecond is kept and reused.
 */
let lastMs = Number.NaN;
let lastText = '';

export function logTimestamp(now: number = Date.now()): string {
  if (now !== lastMs) {
    lastMs = now;
    lastText = new Date(now).toISOString();
  }
  return lastText;
}
