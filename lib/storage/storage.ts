/**
 * Internal storage on local disk, addressed by Kestra's `kestra:///…` URIs.
 * A URI maps to `baseDir + uri.path`; anything that would leave baseDir is refused.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { newId } from '../model/ids';

export const KESTRA_SCHEME = 'kestra://';

export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface ExecutionScope {
  namespace: string;
  flowId: string;
  executionId: string;
}

export interface TaskScope extends ExecutionScope {
  taskId: string;
  taskRunId: string;
}

/** Kestra's slug for path segments: lower-case, non-alphanumerics collapsed to '-'. */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function isStorageUri(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(KESTRA_SCHEME);
}

export function executionPrefix(scope: ExecutionScope): string {
  return `/${scope.namespace.replace(/\./g, '/')}/${slugify(scope.flowId)}/executions/${scope.executionId}`;
}

export function taskPrefix(scope: TaskScope): string {
  return `${executionPrefix(scope)}/tasks/${slugify(scope.taskId)}/${scope.taskRunId}`;
}

export class LocalStorage {
  readonly baseDir: string;

  constructor(baseDir: string) {
    this.baseDir = path.resolve(baseDir);
  }

  /** Absolute path on disk for a storage URI, refusing traversal, encoded slashes and symlinks out. */
  resolve(uri: string): string {
    if (!isStorageUri(uri)) throw new StorageError(`not a storage URI: ${uri}`);
    const rawPath = uri.slice(KESTRA_SCHEME.length);
    if (/%2f|%5c|%00/i.test(rawPath)) throw new StorageError(`encoded separators are not allowed in ${uri}`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      throw new StorageError(`malformed storage URI: ${uri}`);
    }
    if (!decoded.startsWith('/')) throw new StorageError(`storage URI must be absolute (kestra:///…): ${uri}`);
    const segments = decoded.split('/');
    if (segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) {
      throw new StorageError(`path traversal refused in ${uri}`);
    }
    const full = path.resolve(this.baseDir, '.' + decoded);
    if (full !== this.baseDir && !full.startsWith(this.baseDir + path.sep)) {
      throw new StorageError(`path traversal refused in ${uri}`);
    }
    this.assertNoSymlinkEscape(full);
    return full;
  }

  private assertNoSymlinkEscape(full: string): void {
    let current = full;
    // Walk up to the first existing ancestor; its real path must stay inside baseDir.
    while (!fs.existsSync(current) && current !== this.baseDir) current = path.dirname(current);
    if (!fs.existsSync(current)) return;
    const real = fs.realpathSync(current);
    const realBase = fs.existsSync(this.baseDir) ? fs.realpathSync(this.baseDir) : this.baseDir;
    if (real !== realBase && !real.startsWith(realBase + path.sep)) {
      throw new StorageError(`storage path leaves the storage directory: ${full}`);
    }
  }

  toUri(storagePath: string): string {
    const clean = storagePath.startsWith('/') ? storagePath : '/' + storagePath;
    return KESTRA_SCHEME + clean.split('/').map(encodeURIComponent).join('/');
  }

  /** URI for a new file owned by a task run, named as Kestra does (`<id>-<filename>`). */
  taskFileUri(scope: TaskScope, filename: string, unique = true): string {
    const base = path.basename(filename);
    const name = unique ? `${newId()}-${base}` : base;
    return this.toUri(`${taskPrefix(scope)}/${name}`);
  }

  async putFile(uri: string, sourcePath: string): Promise<string> {
    const dest = this.resolve(uri);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.copyFile(sourcePath, dest);
    return uri;
  }

  async putStream(uri: string, source: Readable): Promise<string> {
    const dest = this.resolve(uri);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await pipeline(source, fs.createWriteStream(dest));
    return uri;
  }

  async putText(uri: string, text: string): Promise<string> {
    const dest = this.resolve(uri);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.writeFile(dest, text);
    return uri;
  }

  /** Opens a stored file; a missing file says which URI, as Kestra's own error does. */
  openRead(uri: string): fs.ReadStream {
    const p = this.resolve(uri);
    if (!fs.existsSync(p)) throw new StorageError(`file not found in internal storage: ${uri}`);
    return fs.createReadStream(p);
  }

  readTextSync(uri: string): string {
    const p = this.resolve(uri);
    if (!fs.existsSync(p)) throw new StorageError(`file not found in internal storage: ${uri}`);
    return fs.readFileSync(p, 'utf8');
  }

  exists(uri: string): boolean {
    try {
      return fs.existsSync(this.resolve(uri));
    } catch {
      return false;
    }
  }

  size(uri: string): number {
    return fs.statSync(this.resolve(uri)).size;
  }

  /** Deletes everything under a storage path prefix; returns the URIs of deleted files. */
  async deleteByPrefix(prefix: string): Promise<string[]> {
    const root = this.resolve(this.toUri(prefix));
    if (!fs.existsSync(root)) return [];
    const deleted: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(p);
        else deleted.push(this.toUri('/' + path.relative(this.baseDir, p).split(path.sep).join('/')));
      }
    };
    await walk(root);
    await fsp.rm(root, { recursive: true, force: true });
    return deleted;
  }
}
