import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProblem, type Problem } from '../model/problem';
import { StorageNamespaceFiles } from '../kestra/namespace-files';
import { NamespaceFileService } from './namespace-files';

function body(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

async function problemOf(p: Promise<unknown>): Promise<Problem> {
  try {
    await p;
  } catch (err) {
    if (isProblem(err)) return err;
    throw err;
  }
  throw new Error('expected a Problem, the call succeeded');
}

describe('NamespaceFileService', () => {
  let dir: string;
  let files: NamespaceFileService;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-nsfiles-'));
    files = new NamespaceFileService(path.join(dir, 'storage'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates, lists (by folder), edits and deletes files where fileURI() and the Kestra export read them', async () => {
    const created = await files.create('company.team', 'scripts/hello.py', 'print("hello")\n');
    expect(created).toMatchObject({ path: 'scripts/hello.py', content: 'print("hello")\n', size: 15 });
    await files.create('company.team', 'queries/a.sql', 'select 1;');
    await files.create('company.team', 'README.md', '# r');
    // Where every other reader of namespace files looks.
    expect(fs.readFileSync(path.join(dir, 'storage/company/team/_files/scripts/hello.py'), 'utf8')).toBe('print("hello")\n');
    expect((await new StorageNamespaceFiles(path.join(dir, 'storage')).list('company.team')).map((f) => f.path)).toEqual(['README.md', 'queries/a.sql', 'scripts/hello.py']);

    const list = await files.list('company.team');
    expect(list.files.map((f) => f.path)).toEqual(['README.md', 'queries/a.sql', 'scripts/hello.py']);
    expect(list.totalBytes).toBe(15 + 9 + 3);
    // A child namespace's files are its own.
    expect((await files.list('company')).files).toEqual([]);

    const saved = await files.save('company.team', 'scripts/hello.py', 'print("hi")\n', created.version);
    expect(saved.content).toBe('print("hi")\n');
    expect(saved.version).not.toBe(created.version);

    await files.delete('company.team', 'scripts/hello.py');
    expect((await files.list('company.team')).files.map((f) => f.path)).toEqual(['README.md', 'queries/a.sql']);
    // The emptied folder goes with its last file.
    expect(fs.existsSync(path.join(dir, 'storage/company/team/_files/scripts'))).toBe(false);
    expect((await problemOf(files.read('company.team', 'scripts/hello.py'))).kind).toBe('not-found');
  });

  it('refuses a save made on an older version (409) and keeps the other save', async () => {
    const opened = await files.create('ns', 'a.py', 'one');
    const first = await files.save('ns', 'a.py', 'two', opened.version);
    const stale = await problemOf(files.save('ns', 'a.py', 'three', opened.version));
    expect(stale.kind).toBe('conflict');
    expect(stale.message).toContain('saved elsewhere');
    expect((await files.read('ns', 'a.py')).content).toBe('two');
    expect((await files.save('ns', 'a.py', 'three', first.version)).content).toBe('three');
    // A save of a file deleted meanwhile says so and writes nothing.
    await files.delete('ns', 'a.py');
    const gone = await problemOf(files.save('ns', 'a.py', 'four', first.version));
    expect(gone.kind).toBe('not-found');
    expect(gone.message).toContain('still in the editor');
    expect((await files.list('ns')).files).toEqual([]);
  });

  it('creates only new paths, and renames only onto free ones', async () => {
    await files.create('ns', 'a.py', 'a');
    await files.create('ns', 'b.py', 'b');
    expect((await problemOf(files.create('ns', 'a.py', 'again'))).kind).toBe('conflict');
    expect((await files.read('ns', 'a.py')).content).toBe('a');
    expect((await problemOf(files.rename('ns', 'a.py', 'b.py'))).kind).toBe('conflict');
    expect((await problemOf(files.create('ns', 'a.py/inner.py', 'x'))).message).toContain('a folder on its path is a file');
    const moved = await files.rename('ns', 'a.py', 'lib/util/a.py');
    expect(moved.path).toBe('lib/util/a.py');
    expect((await files.list('ns')).files.map((f) => f.path)).toEqual(['b.py', 'lib/util/a.py']);
    expect((await problemOf(files.create('ns', 'lib', 'x'))).kind).toBe('conflict');
  });

  it('uploads a stream, replaces a file only when asked, and keeps binary files out of the editor', async () => {
    expect(await files.upload('ns', 'data/in.csv', body('a,b\n1,2\n'))).toMatchObject({ path: 'data/in.csv', size: 8 });
    expect((await problemOf(files.upload('ns', 'data/in.csv', body('x')))).kind).toBe('conflict');
    await files.upload('ns', 'data/in.csv', body('a\n'), { overwrite: true });
    expect((await files.read('ns', 'data/in.csv')).content).toBe('a\n');
    await files.upload('ns', 'img.bin', new Blob([new Uint8Array([0, 159, 146, 150])]).stream());
    const bin = await files.read('ns', 'img.bin');
    expect(bin.content).toBeNull();
    expect(bin.notEditable).toContain('not UTF-8 text');
    // No temporary file is left where a namespace could see it.
    expect((await files.list('ns')).files.map((f) => f.path)).toEqual(['data/in.csv', 'img.bin']);
  });

  it('refuses files past the caps and keeps what was there', async () => {
    const small = new NamespaceFileService(path.join(dir, 'storage'), { fileBytes: 10, namespaceBytes: 16, fileCount: 3 });
    await small.create('ns', 'a.txt', '12345678');
    const big = await problemOf(small.upload('ns', 'a.txt', body('x'.repeat(11)), { overwrite: true }));
    expect(big.kind).toBe('too-large');
    expect(big.message).toContain('a.txt is larger than');
    expect((await small.read('ns', 'a.txt')).content).toBe('12345678');
    expect((await problemOf(small.upload('ns', 'b.txt', body('x'), { declaredLength: 1000 }))).kind).toBe('too-large');
    expect((await problemOf(small.create('ns', 'c.txt', '123456789'))).message).toContain('the most a namespace may hold');
    await small.create('ns', 'b.txt', 'b');
    await small.create('ns', 'c.txt', 'c');
    expect((await problemOf(small.create('ns', 'd.txt', 'd'))).message).toContain('already holds 3 files');
    expect((await small.list('ns')).files.map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it.each([
    ['../escape.py', '"..'],
    ['scripts/../../escape.py', '".."'],
    ['./a.py', '"."'],
    ['/etc/passwd', 'relative'],
    ['C:/Windows/x', 'relative'],
    ['a\\..\\b.py', 'backslash'],
    ['a\0.py', 'NUL'],
    ['%2e%2e/x.py', 'percent-encoded'],
    ['..%2fx.py', 'percent-encoded'],
    ['a//b.py', 'empty folder name'],
    ['dir/', 'empty folder name'],
    ['', 'required'],
    ['x'.repeat(600), 'longer than'],
  ])('refuses the path %j, saying why, and writes nothing', async (raw, why) => {
    const err = await problemOf(files.create('ns', raw, 'x'));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain(why);
    expect(fs.readdirSync(dir).filter((f) => f !== 'storage')).toEqual([]);
    expect((await files.list('ns')).files).toEqual([]);
  });

  it('refuses a namespace that is not one, and never follows a symlink out', async () => {
    for (const ns of ['..', 'a..b', '/etc', 'A.b', 'a/b', 'a._files', '']) {
      expect((await problemOf(files.list(ns))).kind).toBe('invalid');
    }
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.mkdirSync(path.join(dir, 'storage/ns/_files'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, 'storage/ns/_files/link'));
    expect((await files.list('ns')).files).toEqual([]);
    expect((await problemOf(files.read('ns', 'link/secret.txt'))).kind).toBe('invalid');
    expect((await problemOf(files.create('ns', 'link/new.txt', 'x'))).kind).toBe('invalid');
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });
});
