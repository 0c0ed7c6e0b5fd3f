/**
 * Entry names from a .zip or a picked folder, judged before anything is written: a course's
 * files land in internal storage and the database, so a name that could step outside its
 * folder (zip-slip) is refused and reported, never cleaned up into something else.
 */

/** Why a raw entry name is refused, or undefined when it is a plain relative path. */
export function unsafeEntryReason(raw: string): string | undefined {
  if (raw === '') return 'an empty name';
  if (raw.includes('\0')) return 'a NUL character in the name';
  if (raw.includes('\\')) return 'a backslash in the name (paths in a course use /)';
  if (raw.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(raw)) return 'a drive letter';
  const segments = raw.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..')) return 'a ".." segment that leaves the course folder';
  if (segments.some((s) => s === '.' || s === '')) return 'an empty or "." segment';
  return undefined;
}

/** The one folder every path starts with, when there is exactly one (a zipped folder). */
export function commonTopFolder(paths: readonly string[]): string | undefined {
  if (paths.length === 0) return undefined;
  const first = paths[0].split('/')[0];
  if (!paths.every((p) => p.includes('/') && p.split('/')[0] === first)) return undefined;
  return first;
}
