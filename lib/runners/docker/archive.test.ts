import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { extractWorkingDir, packWorkingDir } from './archive';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowbook-archive-'));
  dirs.push(dir);
  return dir;
}

type Entry = { name: string; body?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string };

/** A tar like the one `getArchive` returns: entries under the directory's own name. */
function archiveOf(entries: Entry[]): Readable {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: 0o644 }, e.body ?? '');
  pack.finalize();
  return Readable.from(pack);
}

describe('working dir archives', () => {
  it('round-trips a tree: packed under its absolute path, extracted without the top folder', async () => {
    const source = await tempDir();
    await fs.mkdir(path.join(source, 'a/b'), { recursive: true });
    await fs.writeFile(path.join(source, 'a/b/c.txt'), 'deep');
    await fs.writeFile(path.join(source, 'top.txt'), 'top');
    const names: string[] = [];
    const extract = tar.extract();
    const read = (async () => {
      for await (const entry of extract) {
        names.push(entry.header.name);
        entry.resume();
      }
    })();
    packWorkingDir(source, { uid: 0, gid: 0 }).pipe(extract);
    await read;
    const root = source.slice(1);
    expect(names.sort()).toEqual([root, `${root}/a`, `${root}/a/b`, `${root}/a/b/c.txt`, `${root}/top.txt`].sort());

    const target = await tempDir();
    const files = await extractWorkingDir(
      archiveOf([
        { name: 'wd', type: 'directory' },
        { name: 'wd/out/result.csv', body: 'x\n1\n' },
        { name: 'wd/top.txt', body: 'top' },
      ]),
      target,
    );
    expect(files).toBe(2);
    expect(await fs.readFile(path.join(target, 'out/result.csv'), 'utf8')).toBe('x\n1\n');
  });

  it('never writes outside the working dir', async () => {
    const parent = await tempDir();
    const target = path.join(parent, 'wd');
    await fs.mkdir(target);
    await extractWorkingDir(
      archiveOf([
        { name: 'wd/../escaped.txt', body: 'no' },
        { name: 'wd/link', type: 'symlink', linkname: parent },
        { name: 'wd/link/through-link.txt', body: 'no' },
        { name: 'wd/passwd', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'wd/sibling', type: 'symlink', linkname: 'ok.txt' },
        { name: 'wd/ok.txt', body: 'yes' },
      ]),
      target,
    );
    expect((await fs.readdir(parent)).sort()).toEqual(['wd']);
    // Links out of the working dir are dropped (`link` then became a plain folder inside it).
    expect((await fs.readdir(target)).sort()).toEqual(['link', 'ok.txt', 'sibling']);
    expect((await fs.lstat(path.join(target, 'link'))).isSymbolicLink()).toBe(false);
    expect(await fs.readFile(path.join(target, 'sibling'), 'utf8')).toBe('yes');
    expect(await fs.readFile(path.join(target, 'ok.txt'), 'utf8')).toBe('yes');
  });
});
