/**
 * `flowbook course import|list|export`: course collections in the app's database, as the home
 * page imports and exports them (README: Course collections).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config/config';
import { openDatabase } from '../lib/db/client';
import { databaseFromEnv } from '../lib/db/config';
import { formatCourseProblem, openCourseService, type CourseService } from '../lib/courses/service';
import { readCourseFolder } from '../lib/courses/folder';

export class CourseUsageError extends Error {
  override name = 'CourseUsageError';
}

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

async function withCourses<T>(storage: string | undefined, fn: (courses: CourseService) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir: storage });
  const database = await openDatabase(databaseFromEnv(config.dataDir), { migrationsRoot: REPO_ROOT });
  try {
    return await fn(openCourseService(database.db, path.join(config.dataDir, 'storage')));
  } finally {
    await database.close();
  }
}

export async function courseCmd(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { 'replace-files': { type: 'boolean', default: false }, out: { type: 'string' }, storage: { type: 'string' } },
  });
  switch (sub) {
    case 'import': {
      const [source] = positionals;
      if (!source || positionals.length > 1) throw new CourseUsageError('course import takes one folder or .zip');
      if (!fs.existsSync(source)) throw new CourseUsageError(`${source}: no such file or folder`);
      const result = await withCourses(values.storage, (courses) =>
        fs.statSync(source).isDirectory()
          ? courses.importFiles(readCourseFolder(source), path.basename(path.resolve(source)), { replaceFiles: values['replace-files'] })
          : courses.importZip(new Uint8Array(fs.readFileSync(source)), path.basename(source), { replaceFiles: values['replace-files'] }),
      );
      process.stdout.write(`imported ${result.title} (collection ${result.collectionId}): ${result.notebooks.length} notebooks, ${result.files} namespace files\n`);
      for (const n of result.notebooks) process.stdout.write(`  ${n.fileName}\n`);
      for (const p of result.problems) process.stderr.write(`${formatCourseProblem(p)}\n`);
      return result.problems.length > 0 ? 1 : 0;
    }
    case 'list': {
      const list = await withCourses(values.storage, (courses) => courses.list());
      for (const c of list) process.stdout.write(`${c.id}  ${c.title} (${c.notebookIds.length} notebooks)\n`);
      return 0;
    }
    case 'export': {
      const [id] = positionals;
      if (!id || positionals.length > 1 || !values.out) throw new CourseUsageError('course export takes one collection id (see course list) and --out FILE.zip');
      const out = values.out;
      const { bytes } = await withCourses(values.storage, (courses) => courses.exportZip(id));
      fs.writeFileSync(out, bytes);
      process.stdout.write(`wrote ${out}\n`);
      return 0;
    }
    default:
      throw new CourseUsageError(sub === undefined ? 'course needs import, list or export' : `unknown course command "${sub}"`);
  }
}
