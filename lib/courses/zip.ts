/**
 * A course as a .zip, read and written in memory with fflate: a course is a handful of flows,
 * notes and namespace files, and holding it whole lets every entry name be checked before
 * the first one is used. Sizes are checked from the entries' headers before inflating, so a
 * zip bomb is refused instead of filling memory.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { Problem } from '../model/problem';
import type { CourseFile } from './layout';

/** The most a course may hold once unpacked, and the most entries it may have. */
export const MAX_COURSE_BYTES = 200 * 1024 * 1024;
export const MAX_COURSE_ENTRIES = 5000;

/** Every file entry of a zip with its raw name (folders are implied by the names and skipped). */
export function unzipCourse(bytes: Uint8Array, zipName: string): CourseFile[] {
  let total = 0;
  let count = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        count += 1;
        total += file.originalSize;
        if (count > MAX_COURSE_ENTRIES) throw new Problem('too-large', `${zipName}: more than ${MAX_COURSE_ENTRIES} entries`);
        if (total > MAX_COURSE_BYTES) throw new Problem('too-large', `${zipName}: more than ${MAX_COURSE_BYTES / 1024 / 1024} MB once unpacked`);
        return !file.name.endsWith('/');
      },
    });
  } catch (err) {
    if (err instanceof Problem) throw err;
    throw new Problem('unprocessable', `${zipName} is not a readable .zip file: ${err instanceof Error ? err.message : String(err)}`);
  }
  return Object.entries(entries).map(([path, content]) => ({ path, content }));
}

/** The files as a .zip, in the order given, under one top folder. */
export function zipCourse(folder: string, files: readonly CourseFile[]): Uint8Array {
  const tree: Zippable = {};
  // A fixed time makes two exports of the same course byte for byte equal.
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const f of files) tree[`${folder}/${f.path}`] = [f.content, { mtime }];
  return zipSync(tree, { level: 6 });
}
