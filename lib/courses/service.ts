/**
 * Course collections: a folder or .zip of flows (with their notes and namespace files)
 * imported as an ordered collection of notebooks, and exported back in the same layout
 * (see layout.ts). A bad file is reported with its name, line and column and left out; the
 * rest is imported. Nothing already saved is overwritten: a re-import makes a new collection
 * beside the old one ("<title> (2)"), and a namespace file that differs from the one already
 * kept is left as it was unless the caller asks to replace namespace files.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import { hasErrors } from '../flow';
import { parseFlow } from '../tasks/catalog';
import { NotebookService } from '../notebooks/service';
import { StorageNamespaceFiles, type NamespaceFileSource } from '../kestra/namespace-files';
import type { CollectionDto, CourseImportResult } from '../contract/courses';
import { MAX_NAMESPACE_FILE_BYTES } from '../contract/namespace-files';
import { compareFileNames, readCourse, writeCourse, type CourseFile, type CourseLayout, type CourseProblem } from './layout';
import { unzipCourse, zipCourse } from './zip';

export interface CourseImportOptions {
  /** Replace a namespace file that differs from the one already kept (otherwise it is kept and reported). */
  replaceFiles?: boolean;
}

/** The sample course: the flows of `flows/`, seeded at first start. */
const SAMPLE_KEY = 'flows';

export class CourseService {
  constructor(
    private readonly db: Db,
    private readonly notebooks: NotebookService,
    private readonly files: NamespaceFileSource,
  ) {}

  /** Every collection, oldest first, with its notebooks (not deleted) in course order. */
  async list(): Promise<CollectionDto[]> {
    const rows = await this.db.collection.findMany({
      orderBy: { createdAt: 'asc' },
      // A duplicate shares its original's position and follows it (it is newer).
      include: { notebooks: { where: { deletedAt: null }, orderBy: { createdAt: 'asc' }, select: { id: true, position: true, notes: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      title: r.title ?? r.folder,
      folder: r.folder,
      ...(r.readme ? { readme: r.readme } : {}),
      notebookIds: [...r.notebooks].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((n) => n.id),
      notes: Object.fromEntries(r.notebooks.flatMap((n) => (n.notes ? [[n.id, n.notes]] : []))),
    }));
  }

  async importZip(bytes: Uint8Array, zipName: string, opts: CourseImportOptions = {}): Promise<CourseImportResult> {
    return this.importFiles(unzipCourse(bytes, zipName), zipName.replace(/\.zip$/i, ''), opts);
  }

  /** Imports a course from its files (raw names, as a zip or a picked folder gives them). */
  async importFiles(entries: readonly CourseFile[], name: string, opts: CourseImportOptions = {}): Promise<CourseImportResult> {
    const { course, problems } = readCourse(entries, name);
    const valid = course.flows.filter((flow) => {
      const issues = flowProblems(flow.fileName, flow.yaml);
      problems.push(...issues);
      return issues.length === 0;
    });
    if (valid.length === 0) {
      throw new Problem('unprocessable', `${name} holds no flow that can be imported${problems.length ? `: ${problems.map(formatCourseProblem).join('; ')}` : ''}`);
    }
    const title = await this.freeTitle(course.title ?? course.folder);
    const collectionId = randomUUID();
    await this.db.collection.create({
      data: { id: collectionId, folder: course.folder, title, readme: course.readme ?? null, manifest: course.manifest ?? null },
    });
    const notebooks: CourseImportResult['notebooks'] = [];
    for (const [position, flow] of valid.entries()) {
      const { id } = await this.notebooks.create(flow.yaml);
      await this.db.notebook.update({ where: { id }, data: { collectionId, position, fileName: flow.fileName, notes: flow.notes ?? null } });
      notebooks.push({ id, fileName: flow.fileName });
    }
    const written = await this.putNamespaceFiles(course, opts, problems);
    return { collectionId, title, notebooks, files: written, problems };
  }

  /** The collection as a .zip in the course layout, named after its folder. */
  async exportZip(id: string): Promise<{ fileName: string; bytes: Uint8Array }> {
    const layout = await this.layoutOf(id);
    return { fileName: `${layout.folder}.zip`, bytes: zipCourse(layout.folder, writeCourse(layout)) };
  }

  /** What an export of the collection holds. */
  async layoutOf(id: string): Promise<CourseLayout> {
    const row = await this.db.collection.findUnique({ where: { id }, include: { notebooks: { where: { deletedAt: null }, orderBy: { createdAt: 'asc' } } } });
    if (!row) throw Problem.notFound(`collection ${id}`);
    const ordered = [...row.notebooks].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const taken = new Set<string>();
    const flows = ordered.map((nb) => {
      // Two notebooks could claim one file name (a notebook added by hand has none): the later gets its flow id.
      let fileName = nb.fileName ?? `${nb.flowId}.yaml`;
      if (taken.has(fileName)) fileName = `${nb.flowId}-${nb.id.slice(0, 8)}.yaml`;
      taken.add(fileName);
      return { fileName, yaml: nb.yaml, ...(nb.notes !== null ? { notes: nb.notes } : {}) };
    });
    const namespaces = [...new Set(ordered.map((nb) => nb.namespace))].sort(compareFileNames);
    const files = [];
    for (const namespace of namespaces) {
      for (const f of await this.files.list(namespace)) files.push({ namespace, path: f.path, content: new Uint8Array(f.content) });
    }
    return { folder: row.folder, ...(row.title ? { title: row.title } : {}), readme: row.readme ?? undefined, manifest: row.manifest ?? undefined, flows, files };
  }

  /**
   * Groups the sample notebooks (seeded from `dir`) as the sample course, once: notebooks seeded
   * before collections existed join it too. Notes beside a sample (`<name>.md`) come along.
   */
  async adoptSamples(dir: string): Promise<void> {
    if (!fs.existsSync(dir)) return;
    const samples = await this.db.notebook.findMany({ where: { sampleKey: { startsWith: `${SAMPLE_KEY}/` } } });
    if (samples.length === 0) return;
    let collection = await this.db.collection.findUnique({ where: { sampleKey: SAMPLE_KEY } });
    if (!collection) {
      const readmePath = path.join(dir, 'README.md');
      const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, 'utf8') : undefined;
      const { course } = readCourse(readme === undefined ? [] : [{ path: 'README.md', content: new TextEncoder().encode(readme) }], path.basename(dir));
      collection = await this.db.collection.create({
        data: { id: randomUUID(), folder: path.basename(dir), title: course.title ?? null, readme: readme ?? null, sampleKey: SAMPLE_KEY },
      });
    }
    const byName = samples
      .map((nb) => ({ nb, fileName: (nb.sampleKey as string).slice(SAMPLE_KEY.length + 1) }))
      .sort((a, b) => compareFileNames(a.fileName, b.fileName));
    for (const [position, { nb, fileName }] of byName.entries()) {
      if (nb.collectionId !== null) continue;
      const notesPath = path.join(dir, fileName.replace(/\.ya?ml$/i, '') + '.md');
      const notes = fs.existsSync(notesPath) ? fs.readFileSync(notesPath, 'utf8') : null;
      await this.db.notebook.update({ where: { id: nb.id }, data: { collectionId: collection.id, position, fileName, notes } });
    }
  }

  /** The title, or "<title> (2)", "(3)"… when a collection already shows it. */
  private async freeTitle(title: string): Promise<string> {
    const rows = await this.db.collection.findMany({ select: { title: true, folder: true } });
    const shown = new Set(rows.map((r) => r.title ?? r.folder));
    if (!shown.has(title)) return title;
    for (let n = 2; ; n++) if (!shown.has(`${title} (${n})`)) return `${title} (${n})`;
  }

  /** Writes the course's namespace files; returns how many were written. */
  private async putNamespaceFiles(course: CourseLayout, opts: CourseImportOptions, problems: CourseProblem[]): Promise<number> {
    let written = 0;
    const existing = new Map<string, Map<string, Buffer>>();
    for (const file of course.files) {
      const where = `_files/${file.namespace}/${file.path}`;
      if (file.content.length > MAX_NAMESPACE_FILE_BYTES) {
        problems.push({ file: where, message: `larger than ${MAX_NAMESPACE_FILE_BYTES / 1024 / 1024} MB, the most a namespace file may hold: skipped` });
        continue;
      }
      let kept = existing.get(file.namespace);
      if (!kept) {
        kept = new Map((await this.files.list(file.namespace)).map((f) => [f.path, f.content]));
        existing.set(file.namespace, kept);
      }
      const old = kept.get(file.path);
      if (old?.equals(file.content)) continue;
      if (old && !opts.replaceFiles) {
        problems.push({ file: where, message: `namespace ${file.namespace} already has a different ${file.path}: kept it (import again replacing namespace files to take this one)` });
        continue;
      }
      await this.files.write(file.namespace, file.path, Buffer.from(file.content));
      written += 1;
    }
    return written;
  }
}

/** The errors of one flow file, each with its line and column. */
function flowProblems(fileName: string, yaml: string): CourseProblem[] {
  const parsed = parseFlow(yaml);
  if (parsed.flow && !hasErrors(parsed.issues)) return [];
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return [{ file: fileName, message: 'not a flow (it needs id, namespace and tasks)' }];
  return errors.map((i) => ({ file: fileName, ...(i.pos ? { line: i.pos.line, column: i.pos.column } : {}), message: i.message }));
}

/** `file:line:column: message`, as the CLI prints flow issues. */
export function formatCourseProblem(p: CourseProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : p.file;
  return `${where}: ${p.message}`;
}

/** The course service over a database and a storage folder, for callers that build no app (the CLI). */
export function openCourseService(db: Db, storageDir: string): CourseService {
  return new CourseService(db, new NotebookService(db), new StorageNamespaceFiles(storageDir));
}
