/**
 * Course collections on a real app (SQLite and PostgreSQL, internal storage on disk): a .zip
 * imports as an ordered collection and exports back in the same layout; unsafe entry names
 * are refused without anything written outside the course; a bad flow is reported with its
 * file, line and column while the rest imports; a re-import never overwrites.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import type { App } from '../server/app';
import { viewerMayRequest } from '../security/viewers';
import { formatCourseProblem } from './service';

const flow = (id: string, note = '') => `id: ${id}
namespace: test.course
${note}
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hello from ${id}
`;

/** Line 7 repeats `message`: reported at line 7, column 5. */
const BAD = `id: bad
namespace: test.course
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
    message: again
`;

function zip(entries: Record<string, string>): Uint8Array {
  const tree: Zippable = {};
  for (const [name, text] of Object.entries(entries)) tree[name] = strToU8(text);
  return zipSync(tree);
}

const COURSE = {
  'intro/course.yaml': 'title: Orchestration basics\n',
  'intro/README.md': '# Welcome\n\nThree flows.\n',
  'intro/10_last.yaml': flow('last'),
  'intro/02_second.yaml': flow('second'),
  'intro/01_first.yaml': flow('first', '# the first flow'),
  'intro/01_first.md': '# First\n\nRead this before running.\n',
  'intro/_files/test.course/scripts/hello.py': 'print("hello")\n',
  'intro/_files/test.course/data.csv': 'a,b\n1,2\n',
};

describe.each<Provider>(['sqlite', 'postgresql'])('course collections on %s', (provider) => {
  let app: App & { tmp: string };
  beforeAll(async () => {
    app = await testApp(provider);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (provider === 'postgresql') await stopSharedPostgres();
  });

  it('a zip imports as a collection in file name order and exports back with the same layout and content', async () => {
    const result = await app.courses.importZip(zip(COURSE), 'intro.zip');
    expect(result.problems).toEqual([]);
    expect(result.title).toBe('Orchestration basics');
    expect(result.notebooks.map((n) => n.fileName)).toEqual(['01_first.yaml', '02_second.yaml', '10_last.yaml']);
    expect(result.files).toBe(2);

    const listed = (await app.courses.list()).find((c) => c.id === result.collectionId);
    expect(listed?.title).toBe('Orchestration basics');
    expect(Object.values(listed?.notes ?? {})).toEqual(['# First\n\nRead this before running.\n']);
    const flowIds = await Promise.all((listed?.notebookIds ?? []).map(async (id) => (await app.notebooks.get(id)).flow?.id));
    expect(flowIds).toEqual(['first', 'second', 'last']);

    const exported = await app.courses.exportZip(result.collectionId);
    expect(exported.fileName).toBe('intro.zip');
    const back = unzipSync(exported.bytes);
    expect(Object.keys(back).sort()).toEqual(Object.keys(COURSE).sort());
    for (const [name, text] of Object.entries(COURSE)) expect(new TextDecoder().decode(back[name]), name).toBe(text);
  });

  it('refuses entry names that would leave the course (zip-slip), writes nothing outside it, and imports the rest', async () => {
    const result = await app.courses.importZip(
      zip({
        '01_ok.yaml': flow('slip_ok'),
        '../evil.yaml': flow('evil_parent'),
        '/abs.yaml': flow('evil_absolute'),
        'a/../../evil2.yaml': flow('evil_nested'),
        'C:/evil3.yaml': flow('evil_drive'),
        'win\\..\\evil4.yaml': flow('evil_backslash'),
        '_files/test.course/../../../escaped.txt': 'x',
      }),
      'slip.zip',
    );
    expect(result.problems.map((p) => p.file).sort()).toEqual(
      ['../evil.yaml', '/abs.yaml', 'a/../../evil2.yaml', 'C:/evil3.yaml', 'win\\..\\evil4.yaml', '_files/test.course/../../../escaped.txt'].sort(),
    );
    expect(result.problems.every((p) => p.message.startsWith('refused:'))).toBe(true);
    expect(result.notebooks.map((n) => n.fileName)).toEqual(['01_ok.yaml']);
    const all = (await app.notebooks.list()).map((n) => n.flowId);
    expect(all.filter((id) => id.startsWith('evil'))).toEqual([]);
    for (const leaked of ['evil.yaml', 'escaped.txt', path.join('storage', 'escaped.txt'), path.join('storage', 'test', 'escaped.txt')]) {
      expect(fs.existsSync(path.join(app.tmp, leaked)), leaked).toBe(false);
      expect(fs.existsSync(path.join(path.dirname(app.tmp), leaked)), leaked).toBe(false);
    }
  });

  it('reports a bad flow with its file, line and column and imports the others', async () => {
    const result = await app.courses.importZip(zip({ 'mixed/01_good.yaml': flow('good_one'), 'mixed/02_bad.yaml': BAD, 'mixed/03_good.yaml': flow('good_two') }), 'mixed.zip');
    expect(result.notebooks.map((n) => n.fileName)).toEqual(['01_good.yaml', '03_good.yaml']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: '02_bad.yaml', line: 7, column: 5 });
    expect(formatCourseProblem(result.problems[0])).toMatch(/^02_bad\.yaml:7:5: /);
    await expect(app.courses.importZip(zip({ 'only/01_bad.yaml': BAD }), 'only.zip')).rejects.toThrow(/01_bad\.yaml:7:5/);
    await expect(app.courses.importZip(strToU8('not a zip at all'), 'junk.zip')).rejects.toThrow(/junk\.zip is not a readable \.zip/);
  });

  it('a re-import makes a second collection and keeps a namespace file that differs unless asked to replace it', async () => {
    const again = { ...COURSE, 'intro/_files/test.course/data.csv': 'a,b\n9,9\n' };
    const before = await app.courses.list();
    const second = await app.courses.importZip(zip(again), 'intro.zip');
    expect(second.title).toBe('Orchestration basics (2)');
    expect(second.problems).toEqual([expect.objectContaining({ file: '_files/test.course/data.csv', message: expect.stringContaining('kept it') })]);
    expect((await app.courses.list()).length).toBe(before.length + 1);
    const kept = fs.readFileSync(path.join(app.tmp, 'storage', 'test', 'course', '_files', 'data.csv'), 'utf8');
    expect(kept).toBe('a,b\n1,2\n');

    const third = await app.courses.importZip(zip(again), 'intro.zip', { replaceFiles: true });
    expect(third.title).toBe('Orchestration basics (3)');
    expect(third.problems).toEqual([]);
    expect(fs.readFileSync(path.join(app.tmp, 'storage', 'test', 'course', '_files', 'data.csv'), 'utf8')).toBe('a,b\n9,9\n');
  });
});

describe('the sample course', () => {
  it('groups the sample notebooks seeded at first start as one collection, in file name order', async () => {
    const app = await testApp('sqlite', { samplesDir: path.resolve('flows') });
    try {
      const [samples, ...others] = await app.courses.list();
      expect(others).toEqual([]);
      expect(samples.folder).toBe('flows');
      const ids = await Promise.all(samples.notebookIds.map(async (id) => (await app.notebooks.get(id)).flow?.id));
      const files = fs.readdirSync('flows').filter((f) => /^\d.*\.ya?ml$/.test(f)).sort();
      expect(ids).toEqual(files.map((f) => f.replace(/\.ya?ml$/, '')));
    } finally {
      await app.close();
    }
  });
});

describe('share links', () => {
  it('cannot import or export a course', () => {
    const grant = { notebookId: 'nb', executions: new Set<string>() } as unknown as Parameters<typeof viewerMayRequest>[2];
    expect(viewerMayRequest('POST', '/api/collections', grant)).toBe(false);
    expect(viewerMayRequest('GET', '/api/collections', grant)).toBe(false);
    expect(viewerMayRequest('GET', '/api/collections/c1/export', grant)).toBe(false);
  });
});
