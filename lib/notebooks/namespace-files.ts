/**
 * A namespace's files, edited from the notebook page: list, read, create, save, upload,
 * rename and delete. They live where Kestra keeps them and where every reader in Flowbook
 * looks (`namespaceFiles` of WorkingDirectory, `fileURI()`, the Kestra export and deploy):
 * `kestra:///<namespace as folders>/_files/<path>` in internal storage.
 *
 * Nothing saved is lost: every write goes to a temporary file first and replaces the file
 * by a rename, so a save that fails half-way (a full disk, a body past the cap, a dropped
 * connection) leaves the previous content whole. A save names the version (a hash of the
 * content) it edited, and one made on an older version is refused, as cell saves are.
 * Writes to one namespace run one at a time, so the check and the write cannot interleave.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { Problem, isProblem } from '../model/problem';
import { LocalStorage, StorageError } from '../storage/storage';
import {
  MAX_EDITABLE_BYTES,
  MAX_NAMESPACE_BYTES,
  MAX_NAMESPACE_FILE_BYTES,
  MAX_NAMESPACE_FILE_COUNT,
  type NamespaceFileContentDto,
  type NamespaceFileDto,
  type NamespaceFileListDto,
} from '../contract/namespace-files';
import { checkFilePath, checkNamespace } from './namespace-paths';

export interface NamespaceFileLimits {
  fileBytes: number;
  namespaceBytes: number;
  fileCount: number;
}

const DEFAULT_LIMITS: NamespaceFileLimits = { fileBytes: MAX_NAMESPACE_FILE_BYTES, namespaceBytes: MAX_NAMESPACE_BYTES, fileCount: MAX_NAMESPACE_FILE_COUNT };

/** Temporary files wait here, inside storage (so a rename is atomic) but outside every namespace. */
const TEMP_DIR = '.namespace-files-tmp';

export function contentVersion(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

const mb = (bytes: number) => `${+(bytes / 1024 / 1024).toFixed(2)} MB`;

export class NamespaceFileService {
  private readonly storage: LocalStorage;
  private readonly limits: NamespaceFileLimits;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(storageDir: string, limits: Partial<NamespaceFileLimits> = {}) {
    this.storage = new LocalStorage(storageDir);
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** The namespace's `_files` folder on disk. */
  folder(namespace: string): string {
    checkNamespace(namespace);
    return this.resolve(`/${namespace.split('.').join('/')}/_files`);
  }

  /** The disk path of one file, checked: plain relative path, inside the folder, no symlink out. */
  private filePath(namespace: string, relPath: string): string {
    const base = this.folder(namespace);
    const full = this.resolve(`/${namespace.split('.').join('/')}/_files/${checkFilePath(relPath)}`);
    if (!full.startsWith(base + path.sep)) throw new Problem('invalid', `path ${JSON.stringify(relPath)} leaves the namespace's files`);
    return full;
  }

  private resolve(storagePath: string): string {
    try {
      return this.storage.resolve(this.storage.toUri(storagePath));
    } catch (err) {
      if (err instanceof StorageError) throw new Problem('invalid', err.message, {}, { cause: err });
      throw err;
    }
  }

  async list(namespace: string): Promise<NamespaceFileListDto> {
    const base = this.folder(namespace);
    const files: NamespaceFileDto[] = [];
    const walk = async (dir: string, rel: string[]) => {
      let items: fs.Dirent[];
      try {
        items = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const item of items) {
        const abs = path.join(dir, item.name);
        // Symlinks are neither followed nor shown: a file here is always inside the folder.
        if (item.isDirectory()) await walk(abs, [...rel, item.name]);
        else if (item.isFile()) {
          const st = await fs.promises.stat(abs);
          files.push({ path: [...rel, item.name].join('/'), size: st.size, modified: st.mtime.toISOString() });
        }
      }
    };
    await walk(base, []);
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { namespace, files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
  }

  async read(namespace: string, relPath: string): Promise<NamespaceFileContentDto> {
    const full = this.filePath(namespace, relPath);
    const st = await this.statFile(full, namespace, relPath);
    const base = { path: relPath, size: st.size, modified: st.mtime.toISOString() };
    if (st.size > MAX_EDITABLE_BYTES) {
      const version = await hashFile(full);
      return { ...base, version, content: null, notEditable: `the file is ${mb(st.size)}; files up to ${mb(MAX_EDITABLE_BYTES)} open in the editor` };
    }
    const bytes = await fs.promises.readFile(full);
    const text = utf8Text(bytes);
    return { ...base, version: contentVersion(bytes), content: text, notEditable: text === null ? 'the file is not UTF-8 text' : undefined };
  }

  /** Every file with its bytes, one at a time in path order (for an export; the caps bound each and their sum). */
  async *contents(namespace: string): AsyncGenerator<{ path: string; content: Buffer }> {
    for (const file of (await this.list(namespace)).files) {
      yield { path: file.path, content: await fs.promises.readFile(this.filePath(namespace, file.path)) };
    }
  }

  /** The file's bytes as a stream, for a download. */
  async open(namespace: string, relPath: string): Promise<{ stream: fs.ReadStream; size: number }> {
    const full = this.filePath(namespace, relPath);
    const st = await this.statFile(full, namespace, relPath);
    return { stream: fs.createReadStream(full), size: st.size };
  }

  /** A new text file; refused when one exists at the path. */
  async create(namespace: string, relPath: string, content: string): Promise<NamespaceFileContentDto> {
    const full = this.filePath(namespace, relPath);
    const bytes = Buffer.from(content, 'utf8');
    await this.serial(namespace, async () => {
      if (await exists(full)) throw new Problem('conflict', `${relPath} already exists in ${namespace}: open it to edit it`);
      await this.checkRoom(namespace, relPath, bytes.length, 0);
      await this.replace(full, namespace, relPath, (tmp) => fs.promises.writeFile(tmp, bytes, { flag: 'wx' }));
    });
    return this.read(namespace, relPath);
  }

  /** Saves what the editor loaded at `version`; a save made on an older version is refused. */
  async save(namespace: string, relPath: string, content: string, version: string): Promise<NamespaceFileContentDto> {
    const full = this.filePath(namespace, relPath);
    const bytes = Buffer.from(content, 'utf8');
    await this.serial(namespace, async () => {
      const st = await this.statFile(full, namespace, relPath, 'it was deleted or renamed elsewhere; your text is still in the editor: create the file again to keep it');
      const current = await hashFile(full);
      if (current !== version) {
        throw new Problem('conflict', `${relPath} was saved elsewhere since you opened it: your text is still in the editor; reload the file to see the other save`);
      }
      await this.checkRoom(namespace, relPath, bytes.length, st.size);
      await this.replace(full, namespace, relPath, (tmp) => fs.promises.writeFile(tmp, bytes, { flag: 'wx' }));
    });
    return this.read(namespace, relPath);
  }

  /**
   * An uploaded file, streamed from the request body and refused past the caps (nothing is
   * kept then). An existing file is replaced only with `overwrite`.
   */
  async upload(namespace: string, relPath: string, body: ReadableStream<Uint8Array> | null, opts: { declaredLength?: number; overwrite?: boolean } = {}): Promise<NamespaceFileDto> {
    const full = this.filePath(namespace, relPath);
    const limit = this.limits.fileBytes;
    if (opts.declaredLength !== undefined && opts.declaredLength > limit) throw this.fileTooLarge(relPath, opts.declaredLength);
    if (!body) throw new Problem('invalid', `the upload of ${relPath} has no body: send the file as the request body`);
    const tmp = await this.tempFile();
    try {
      let size = 0;
      const counter = new Transform({
        transform: (chunk: Buffer, _enc, done) => {
          size += chunk.length;
          if (size > limit) done(this.fileTooLarge(relPath, size));
          else done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), counter, fs.createWriteStream(tmp, { flags: 'wx' }));
      } catch (err) {
        if (isProblem(err)) throw err;
        throw new Problem('invalid', `the upload of ${relPath} did not complete: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
      }
      await this.serial(namespace, async () => {
        const existing = await fs.promises.lstat(full).catch(() => undefined);
        if (existing && !opts.overwrite) throw new Problem('conflict', `${relPath} already exists in ${namespace}: upload it again with overwrite to replace it`);
        if (existing && !existing.isFile()) throw new Problem('conflict', `${relPath} is a folder in ${namespace}, not a file`);
        await this.checkRoom(namespace, relPath, size, existing?.size ?? 0);
        await this.replace(full, namespace, relPath, (dest) => fs.promises.rename(tmp, dest));
      });
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
    const st = await fs.promises.stat(full);
    return { path: relPath, size: st.size, modified: st.mtime.toISOString() };
  }

  async rename(namespace: string, from: string, to: string): Promise<NamespaceFileDto> {
    const source = this.filePath(namespace, from);
    const target = this.filePath(namespace, checkFilePath(to, 'to'));
    await this.serial(namespace, async () => {
      await this.statFile(source, namespace, from);
      if (await exists(target)) throw new Problem('conflict', `${to} already exists in ${namespace}: delete or rename it first`);
      await this.makeParents(target, namespace, to);
      await fs.promises.rename(source, target);
      await this.pruneEmpty(path.dirname(source), this.folder(namespace));
    });
    const st = await fs.promises.stat(target);
    return { path: to, size: st.size, modified: st.mtime.toISOString() };
  }

  async delete(namespace: string, relPath: string): Promise<void> {
    const full = this.filePath(namespace, relPath);
    await this.serial(namespace, async () => {
      await this.statFile(full, namespace, relPath);
      await fs.promises.unlink(full);
      await this.pruneEmpty(path.dirname(full), this.folder(namespace));
    });
  }

  private async statFile(full: string, namespace: string, relPath: string, whyMissing?: string): Promise<fs.Stats> {
    const st = await fs.promises.lstat(full).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw err;
    });
    if (!st) throw new Problem('not-found', `${relPath} not found in the files of ${namespace}${whyMissing ? `: ${whyMissing}` : ''}`);
    if (!st.isFile()) throw new Problem('invalid', `${relPath} in ${namespace} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}`);
    return st;
  }

  /** Refuses a write that would pass the file, namespace or count cap (`replacing`: bytes the write frees). */
  private async checkRoom(namespace: string, relPath: string, bytes: number, replacing: number): Promise<void> {
    if (bytes > this.limits.fileBytes) throw this.fileTooLarge(relPath, bytes);
    const { files, totalBytes } = await this.list(namespace);
    if (totalBytes - replacing + bytes > this.limits.namespaceBytes) {
      throw new Problem('too-large', `${relPath} does not fit: the files of ${namespace} would hold more than ${mb(this.limits.namespaceBytes)}, the most a namespace may hold`);
    }
    const isNew = !files.some((f) => f.path === relPath);
    if (isNew && files.length >= this.limits.fileCount) {
      throw new Problem('too-large', `${namespace} already holds ${files.length} files, the most a namespace may hold`);
    }
  }

  private fileTooLarge(relPath: string, bytes: number): Problem {
    return new Problem('too-large', `${relPath} is larger than ${mb(this.limits.fileBytes)}, the most one namespace file may hold (${bytes} bytes or more)`);
  }

  /** Writes through a temporary file, then renames it over the target: the old content stays whole until then. */
  private async replace(full: string, namespace: string, relPath: string, write: (tmp: string) => Promise<void>): Promise<void> {
    await this.makeParents(full, namespace, relPath);
    const tmp = await this.tempFile();
    try {
      await write(tmp);
      await fs.promises.rename(tmp, full);
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  private async makeParents(full: string, namespace: string, relPath: string): Promise<void> {
    try {
      await fs.promises.mkdir(path.dirname(full), { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new Problem('conflict', `${relPath}: a folder on its path is a file in ${namespace}`, {}, { cause: err });
      throw err;
    }
    const st = await fs.promises.lstat(full).catch(() => undefined);
    if (st?.isDirectory()) throw new Problem('conflict', `${relPath} is a folder in ${namespace}: choose another name`);
  }

  private async tempFile(): Promise<string> {
    const dir = path.join(this.storage.baseDir, TEMP_DIR);
    await fs.promises.mkdir(dir, { recursive: true });
    return path.join(dir, randomUUID());
  }

  /** Removes folders left empty by a delete or rename, up to (not including) the namespace's folder. */
  private async pruneEmpty(dir: string, base: string): Promise<void> {
    let current = dir;
    while (current.startsWith(base + path.sep)) {
      const left = await fs.promises.readdir(current).catch(() => ['?']);
      if (left.length > 0) return;
      await fs.promises.rmdir(current).catch(() => undefined);
      current = path.dirname(current);
    }
  }

  private serial<T>(namespace: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(namespace) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.queues.set(namespace, settled);
    void settled.then(() => {
      if (this.queues.get(namespace) === settled) this.queues.delete(namespace);
    });
    return run;
  }
}

async function exists(full: string): Promise<boolean> {
  return (await fs.promises.lstat(full).catch(() => undefined)) !== undefined;
}

async function hashFile(full: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(full)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 32);
}

/** The bytes as text when they are UTF-8 without NUL bytes (which text files do not hold). */
function utf8Text(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
