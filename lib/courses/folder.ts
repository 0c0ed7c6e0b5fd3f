/**
 * A course folder on disk read as the files of a course, each under `<folder name>/`, as a zip
 * of that folder holds them. Symbolic links are not followed: a course is the folder's own files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Problem } from '../model/problem';
import type { CourseFile } from './layout';
import { MAX_COURSE_BYTES, MAX_COURSE_ENTRIES } from './zip';

export function readCourseFolder(dir: string): CourseFile[] {
  const top = path.basename(path.resolve(dir));
  const out: CourseFile[] = [];
  let total = 0;
  const walk = (abs: string, rel: string) => {
    for (const item of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = `${rel}/${item.name}`;
      if (item.isDirectory()) walk(path.join(abs, item.name), child);
      else if (item.isFile()) {
        const content = fs.readFileSync(path.join(abs, item.name));
        total += content.length;
        if (out.length >= MAX_COURSE_ENTRIES) throw new Problem('too-large', `${dir}: more than ${MAX_COURSE_ENTRIES} files`);
        if (total > MAX_COURSE_BYTES) throw new Problem('too-large', `${dir}: more than ${MAX_COURSE_BYTES / 1024 / 1024} MB of files`);
        out.push({ path: child, content: new Uint8Array(content) });
      }
    }
  };
  walk(dir, top);
  return out;
}
