/**
 * Course collections from the browser: the list, an import (a .zip as it is, or a picked
 * folder zipped here first, so the server reads one format), and the export link.
 */
import { zipSync } from 'fflate';
import type { CollectionDto, CourseImportResult, CourseProblemDto } from '@/lib/contract';
import { postRaw, request } from './api';

export const coursesApi = {
  list: () => request<CollectionDto[]>('GET', '/api/collections'),
  exportUrl: (id: string) => `/api/collections/${encodeURIComponent(id)}/export`,
};

/** Sends a .zip to import; `name` is what the course is called when it has no top folder. */
export async function importCourseZip(zip: Blob, name: string, replaceFiles: boolean): Promise<CourseImportResult> {
  const url = `/api/collections?name=${encodeURIComponent(name)}${replaceFiles ? '&replaceFiles=1' : ''}`;
  return postRaw<CourseImportResult>(url, zip, 'application/zip', { verb: 'import', subject: name });
}

/** The files of a picked folder (`<input webkitdirectory>`) as one .zip, under their relative paths. */
export async function zipFolder(files: readonly File[]): Promise<{ zip: Blob; name: string }> {
  const tree: Record<string, Uint8Array> = {};
  for (const file of files) tree[file.webkitRelativePath || file.name] = new Uint8Array(await file.arrayBuffer());
  const name = (files[0]?.webkitRelativePath || 'course').split('/')[0];
  const bytes = zipSync(tree, { level: 1 });
  return { zip: new Blob([bytes.buffer as ArrayBuffer], { type: 'application/zip' }), name };
}

/** `file:line:column: message`, as the CLI and the server print a course problem. */
export function problemText(p: CourseProblemDto): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : p.file;
  return `${where}: ${p.message}`;
}
