import { json, parseWith, queryOf, readBytes } from '@/lib/api/http';
import { courseImportQuerySchema } from '@/lib/api/schemas';
import { route } from '@/lib/server/route';
import { MAX_COURSE_BYTES } from '@/lib/courses/zip';

export const dynamic = 'force-dynamic';

export const GET = route(async (app) => json(await app.courses.list()));

/** Imports a course: the body is a .zip (the page zips a picked folder before sending it). */
export const POST = route(async (app, req) => {
  const { name, replaceFiles } = parseWith(courseImportQuerySchema, queryOf(req), 'query');
  const bytes = await readBytes(req, MAX_COURSE_BYTES, `the course ${name}`);
  return json(await app.courses.importZip(bytes, name, { replaceFiles: replaceFiles === '1' }), 201);
});
