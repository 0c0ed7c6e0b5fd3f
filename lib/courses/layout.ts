/**
 * The course layout: what a folder or .zip of a course holds, read into a course and written
 * back. Pure (no I/O), so import and export are tested on plain file lists.
 *
 *   <course>/course.yaml              optional: `title:` (and anything else, kept verbatim)
 *   <course>/README.md                optional: its first `# heading` is the title when course.yaml has none
 *   <course>/01_hello_world.yaml      a flow: one notebook each, in file name order (numbers as numbers)
 *   <course>/01_hello_world.md        optional: notes on that notebook, markdown
 *   <course>/_files/<namespace>/<path> the namespace files of each namespace, a folder per namespace
 */
import YAML, { LineCounter } from 'yaml';
import { commonTopFolder, unsafeEntryReason } from './paths';

export interface CourseFile {
  /** `/`-separated, relative to the course folder (or, raw from a zip, to the zip's root). */
  path: string;
  content: Uint8Array;
}

/** Something wrong with one file of a course: that file is left out, the rest imported. */
export interface CourseProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface CourseFlow {
  fileName: string;
  yaml: string;
  notes?: string;
}

export interface CourseNamespaceFile {
  namespace: string;
  path: string;
  content: Uint8Array;
}

export interface CourseLayout {
  /** The course's folder name: the title when nothing names one, and the export's top folder. */
  folder: string;
  title?: string;
  readme?: string;
  manifest?: string;
  flows: CourseFlow[];
  files: CourseNamespaceFile[];
}

export const MANIFEST = 'course.yaml';
export const README = 'README.md';
export const FILES_DIR = '_files';

const FILE_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const NAMESPACE = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/i;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function compareFileNames(a: string, b: string): number {
  return FILE_ORDER.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function isFlowFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !/^course\.ya?ml$/i.test(name);
}

/** Files a zip tool or an OS leaves beside a course; never part of it. */
function isClutter(path: string): boolean {
  return path.split('/').some((s) => s === '__MACOSX' || s === '.DS_Store' || s === 'Thumbs.db' || s === '.git');
}

function text(file: CourseFile, problems: CourseProblem[]): string | undefined {
  try {
    return UTF8.decode(file.content).replace(/^\uFEFF/, '');
  } catch {
    problems.push({ file: file.path, message: 'not UTF-8 text' });
    return undefined;
  }
}

/** The course title: course.yaml's `title`, else README.md's first `# heading`. */
function titleOf(manifest: string | undefined, readme: string | undefined, problems: CourseProblem[]): string | undefined {
  if (manifest !== undefined) {
    const lines = new LineCounter();
    const doc = YAML.parseDocument(manifest, { prettyErrors: false, lineCounter: lines });
    const error = doc.errors[0];
    if (error) {
      const pos = lines.linePos(error.pos[0]);
      problems.push({ file: MANIFEST, line: pos.line, column: pos.col, message: error.message.split('\n')[0] });
    } else {
      const title: unknown = doc.get('title');
      if (typeof title === 'string' && title.trim()) return title.trim();
    }
  }
  const heading = readme?.match(/^#[ \t]+(.+?)[ \t#]*$/m)?.[1];
  return heading?.trim() || undefined;
}

/**
 * Reads a course from its files. `name` is the folder or zip it came from (without `.zip`),
 * used when the files do not sit in one top folder of their own. Unsafe names (zip-slip),
 * files outside the layout and undecodable text are problems; nothing here throws.
 */
export function readCourse(entries: readonly CourseFile[], name: string): { course: CourseLayout; problems: CourseProblem[] } {
  const problems: CourseProblem[] = [];
  const safe: CourseFile[] = [];
  for (const entry of entries) {
    const reason = unsafeEntryReason(entry.path);
    if (reason) problems.push({ file: entry.path, message: `refused: ${reason}` });
    else if (!isClutter(entry.path)) safe.push(entry);
  }
  const top = commonTopFolder(safe.map((e) => e.path));
  const files = top === undefined ? safe : safe.map((e) => ({ ...e, path: e.path.slice(top.length + 1) }));
  const course: CourseLayout = { folder: top ?? name, flows: [], files: [] };
  const notes = new Map<string, CourseFile>();

  for (const file of files) {
    const segments = file.path.split('/');
    if (segments[0] === FILES_DIR) {
      const [, namespace, ...rest] = segments;
      if (!namespace || rest.length === 0) problems.push({ file: file.path, message: `a namespace file goes in ${FILES_DIR}/<namespace>/<path>` });
      else if (!NAMESPACE.test(namespace)) problems.push({ file: file.path, message: `"${namespace}" is not a namespace name (letters, digits, _ and -, parts separated by dots)` });
      else course.files.push({ namespace, path: rest.join('/'), content: file.content });
      continue;
    }
    if (segments.length > 1) {
      problems.push({ file: file.path, message: `not part of a course (flows and notes sit at the top, namespace files under ${FILES_DIR}/<namespace>/): skipped` });
      continue;
    }
    const base = segments[0];
    if (/^course\.ya?ml$/i.test(base)) course.manifest = text(file, problems);
    else if (base.toLowerCase() === README.toLowerCase()) course.readme = text(file, problems);
    else if (isFlowFile(base)) {
      const yaml = text(file, problems);
      if (yaml !== undefined) course.flows.push({ fileName: base, yaml });
    } else if (/\.md$/i.test(base)) notes.set(base.replace(/\.md$/i, ''), file);
    else if (!base.startsWith('.')) problems.push({ file: file.path, message: 'not part of a course (a flow .yaml, its .md notes, README.md or course.yaml): skipped' });
  }

  course.flows.sort((a, b) => compareFileNames(a.fileName, b.fileName));
  for (const flow of course.flows) {
    const base = flow.fileName.replace(/\.ya?ml$/i, '');
    const note = notes.get(base);
    if (!note) continue;
    notes.delete(base);
    const markdown = text(note, problems);
    if (markdown !== undefined) flow.notes = markdown;
  }
  for (const [base, file] of notes) problems.push({ file: file.path, message: `notes without a flow beside them (no ${base}.yaml): skipped` });
  course.files.sort((a, b) => compareFileNames(a.namespace, b.namespace) || compareFileNames(a.path, b.path));
  course.title = titleOf(course.manifest, course.readme, problems);
  return { course, problems };
}

/** The files of a course in the layout, ready to zip under `course.folder`. */
export function writeCourse(course: CourseLayout): CourseFile[] {
  const enc = new TextEncoder();
  const out: CourseFile[] = [];
  if (course.manifest !== undefined) out.push({ path: MANIFEST, content: enc.encode(course.manifest) });
  if (course.readme !== undefined) out.push({ path: README, content: enc.encode(course.readme) });
  for (const flow of course.flows) {
    out.push({ path: flow.fileName, content: enc.encode(flow.yaml) });
    if (flow.notes !== undefined) out.push({ path: flow.fileName.replace(/\.ya?ml$/i, '') + '.md', content: enc.encode(flow.notes) });
  }
  for (const f of course.files) out.push({ path: `${FILES_DIR}/${f.namespace}/${f.path}`, content: f.content });
  return out;
}
