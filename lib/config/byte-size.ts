/**
 * Sizes as Kestra's Docker runner reads them (`memory: {memory: "512MB"}`, `shmSize: 1GB`):
 * a plain number is bytes; units are binary (1 KB = 1024 bytes), as in Micronaut's readable
 * bytes converter Kestra uses. Docker CLI spellings (`512m`, `1g`) and IEC ones (`512MiB`) are
 * accepted too, so an option copied from a `docker run` line works.
 */
const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/** Bytes, or `undefined` when the text is not a size. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const match = SIZE.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const factor = UNITS[match[2]];
  if (factor === undefined) return undefined;
  return Math.floor(Number(match[1]) * factor);
}
