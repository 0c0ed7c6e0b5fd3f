/**
 * What a namespace and a namespace file's path may be, checked before any of it touches the
 * disk. A path is relative to the namespace's `_files` folder and written one plain way:
 * `/`-separated segments, none empty, `.` or `..`; no backslash, NUL or control character,
 * no leading `/` or drive letter, and no percent-encoded sequence (the route has already
 * decoded the query once; a `%2e%2e` left over would be read as `..` by whatever decodes it
 * again). The service then checks the joined path really stays inside the folder.
 */
import { Problem } from '../model/problem';
import { MAX_NAMESPACE_PATH_LENGTH } from '../contract/namespace-files';

/** Kestra's namespace rule (as the flow reader checks it), plus no empty segment. */
const NAMESPACE = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const MAX_NAMESPACE_LENGTH = 150;
/** Folders internal storage keeps beside a namespace's children: a namespace may not be named like them. */
const RESERVED_SEGMENTS = new Set(['_files', '_kv']);
const MAX_SEGMENT_LENGTH = 255;

export function checkNamespace(namespace: string): string {
  if (namespace.length === 0 || namespace.length > MAX_NAMESPACE_LENGTH || !NAMESPACE.test(namespace)) {
    throw new Problem('invalid', `not a namespace: ${JSON.stringify(namespace)} (lower-case letters, digits, "_" and "-", in segments joined by ".")`);
  }
  const reserved = namespace.split('.').find((s) => RESERVED_SEGMENTS.has(s));
  if (reserved) throw new Problem('invalid', `not a namespace: ${JSON.stringify(namespace)} (the segment "${reserved}" is where storage keeps a namespace's own data)`);
  return namespace;
}

/** The path as given when it is plain and relative; a Problem saying what is wrong with it otherwise. */
export function checkFilePath(raw: unknown, what = 'path'): string {
  if (typeof raw !== 'string' || raw === '') throw new Problem('invalid', `${what}: a file path is required, e.g. scripts/hello.py`);
  const quoted = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  const refuse = (why: string) => new Problem('invalid', `${what} ${quoted}: ${why}`);
  if (raw.length > MAX_NAMESPACE_PATH_LENGTH) throw refuse(`longer than ${MAX_NAMESPACE_PATH_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw refuse('a NUL or control character is not allowed');
  if (raw.includes('\\')) throw refuse('a backslash is not allowed: separate folders with /');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw refuse('must be relative to the namespace, e.g. scripts/hello.py');
  if (/%[0-9a-f]{2}/i.test(raw)) throw refuse('a percent-encoded sequence is not allowed in a file path');
  for (const segment of raw.split('/')) {
    if (segment === '') throw refuse('an empty folder name (// or a trailing /) is not allowed');
    if (segment === '.' || segment === '..') throw refuse(`"${segment}" is not allowed: a path stays inside the namespace's files`);
    if (segment.length > MAX_SEGMENT_LENGTH) throw refuse(`a name is longer than ${MAX_SEGMENT_LENGTH} characters`);
  }
  return raw;
}
