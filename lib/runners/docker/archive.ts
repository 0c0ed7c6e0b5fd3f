/**
 * Moving a task's working directory in and out of a container as tar, through the Docker API
 * (`putArchive` / `getArchive`), for the VOLUME file handling strategy. The directory keeps its
 * host path inside the container, so `{{workingDir}}` and WORKING_DIR mean the same everywhere.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import tar, { type Header, type Pack } from 'tar-stream';

export interface Owner {
  uid: number;
  gid: number;
}

/**
 * A tar of `dir` whose entry names are the absolute path without its leading slash, meant to be
 * unpacked at `/` in the container: the engine creates the parents, the task gets the same path.
 */
export function packWorkingDir(dir: string, owner: Owner): Readable {
  const pack = tar.pack();
  const root = path.resolve(dir).replace(/^\/+/, '');
  void (async () => {
    try {
      const stat = await fsp.stat(dir);
      await addEntry(pack, { name: root, type: 'directory', mode: stat.mode & 0o7777, mtime: stat.mtime, ...owner });
      await addTree(pack, dir, root, owner);
      pack.finalize();
    } catch (err) {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  // tar-stream streams are streamx streams; the Docker client pipes a Node stream.
  return Readable.from(pack);
}

async function addTree(pack: Pack, dir: string, name: string, owner: Owner): Promise<void> {
  for (const dirent of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, dirent.name);
    const entryName = `${name}/${dirent.name}`;
    const stat = await fsp.lstat(full);
    const base = { name: entryName, mode: stat.mode & 0o7777, mtime: stat.mtime, ...owner };
    if (stat.isDirectory()) {
      await addEntry(pack, { ...base, type: 'directory' });
      await addTree(pack, full, entryName, owner);
    } else if (stat.isSymbolicLink()) {
      await addEntry(pack, { ...base, type: 'symlink', linkname: await fsp.readlink(full) });
    } else if (stat.isFile()) {
      await addFile(pack, { ...base, type: 'file', size: stat.size }, full);
    }
    // Sockets, fifos and devices have no meaning in another filesystem: left out.
  }
}

function addEntry(pack: Pack, header: Partial<Header> & Pick<Header, 'name'>): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (err) => (err ? reject(err) : resolve())));
}

/** tar-stream's sinks are streamx streams: fed by hand rather than through Node's pipeline. */
async function addFile(pack: Pack, header: Partial<Header> & Pick<Header, 'name'>, file: string): Promise<void> {
  let finish!: (err?: Error | null) => void;
  const written = new Promise<void>((resolve, reject) => (finish = (err) => (err ? reject(err) : resolve())));
  const sink = pack.entry(header, (err) => finish(err));
  for await (const chunk of fs.createReadStream(file)) {
    if (!sink.write(chunk)) await once(sink, 'drain');
  }
  sink.end(null);
  await written;
}

/**
 * Unpacks the tar `getArchive` returns for the container's working dir into `dir`, replacing
 * files of the same name. Entries start with the directory's own name, which is dropped.
 * Nothing may land outside `dir` (no `..`, no writing through symlinks, no symlinks out of it).
 */
export async function extractWorkingDir(archive: NodeJS.ReadableStream, dir: string): Promise<number> {
  const target = path.resolve(dir);
  const extract = tar.extract();
  let files = 0;
  const done = (async () => {
    for await (const entry of extract) {
      const rel = entry.header.name.split('/').slice(1).filter((p) => p !== '' && p !== '.');
      const dest = path.join(target, ...rel);
      const safe = rel.length > 0 && !rel.includes('..') && (await insideWithoutSymlinks(target, rel));
      if (!safe) {
        entry.resume();
        continue;
      }
      const mode = entry.header.mode ?? 0o644;
      switch (entry.header.type) {
        case 'directory':
          await fsp.mkdir(dest, { recursive: true });
          entry.resume();
          break;
        case 'file':
        case 'contiguous-file':
          await fsp.mkdir(path.dirname(dest), { recursive: true });
          await fsp.rm(dest, { force: true, recursive: true });
          await writeEntry(entry, dest, mode);
          files++;
          break;
        case 'symlink':
          // A link the container made to a host path (`out.csv -> /etc/passwd`) must not let
          // output files read outside the working dir.
          if (!isInside(target, path.resolve(path.dirname(dest), entry.header.linkname ?? ''))) {
            entry.resume();
            break;
          }
          await fsp.mkdir(path.dirname(dest), { recursive: true });
          await fsp.rm(dest, { force: true, recursive: true });
          await fsp.symlink(entry.header.linkname ?? '', dest);
          entry.resume();
          break;
        default:
          entry.resume();
      }
    }
  })();
  archive.on('error', (err: Error) => extract.destroy(err));
  archive.pipe(extract);
  await done;
  return files;
}

async function writeEntry(entry: AsyncIterable<unknown>, dest: string, mode: number): Promise<void> {
  const out = fs.createWriteStream(dest, { mode });
  try {
    for await (const chunk of entry) {
      if (!(chunk instanceof Uint8Array)) throw new Error(`unexpected tar chunk for ${dest}`);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** True when no existing parent of `rel` under `root` is a symlink (which could point anywhere). */
async function insideWithoutSymlinks(root: string, rel: string[]): Promise<boolean> {
  let current = root;
  for (const part of rel.slice(0, -1)) {
    current = path.join(current, part);
    const stat = await fsp.lstat(current).catch(() => undefined);
    if (stat === undefined) return true;
    if (stat.isSymbolicLink()) return false;
  }
  return true;
}
