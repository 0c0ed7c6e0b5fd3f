/**
 * ISO-8601 durations (PT30S, P1DT2H, PT0.5S) as Kestra's Duration properties accept them;
 * like java.time.Duration.parse, letters may be lower case (`PT5m`).
 */
const ISO_DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Whether a text is a duration parseDurationMs reads. */
export function isIsoDuration(value: string): boolean {
  const v = value.trim();
  return ISO_DURATION.test(v) && !/^-?P$/i.test(v) && !/T$/i.test(v);
}

export class DurationError extends Error {
  constructor(value: unknown, where: string) {
    super(`${where}: "${String(value)}" is not an ISO-8601 duration (examples: PT30S, PT5M, P1D)`);
    this.name = 'DurationError';
  }
}

/** Milliseconds of an ISO-8601 duration; months count as 30 days and years as 365, as java.time.Duration refuses them anyway. */
export function parseDurationMs(value: unknown, where = 'duration'): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') throw new DurationError(value, where);
  const m = ISO_DURATION.exec(value.trim());
  if (!m || !isIsoDuration(value)) throw new DurationError(value, where);
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  const ms =
    ((n(2) * 365 + n(3) * 30 + n(4) * 7 + n(5)) * 86_400 + n(6) * 3600 + n(7) * 60 + n(8)) * 1000;
  return m[1] ? -ms : ms;
}
