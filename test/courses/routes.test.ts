/** The course routes as the page calls them: import a .zip body, list, export; bad requests answered with what is wrong. */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import type { ApiError, CollectionDto, CourseImportResult } from '../../lib/contract';
import { testApp } from '../api/harness';
import * as collections from '../../app/api/collections/route';
import * as exportRoute from '../../app/api/collections/[id]/export/route';

let app: App;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
});

const base = 'http://127.0.0.1:3000';
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const flow = (id: string) => `id: ${id}\nnamespace: route.course\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: ${id}\n`;

describe('course routes', () => {
  it('imports a .zip body, lists the collection and exports it as a .zip download', async () => {
    const zip = zipSync({ 'r/02_b.yaml': strToU8(flow('b')), 'r/01_a.yaml': strToU8(flow('a')), 'r/../../x.yaml': strToU8(flow('x')) });
    const res = await collections.POST(new Request(`${base}/api/collections?name=r.zip`, { method: 'POST', body: Buffer.from(zip), headers: { 'content-type': 'application/zip' } }), params({}));
    expect(res.status).toBe(201);
    const result = (await res.json()) as CourseImportResult;
    expect(result.notebooks.map((n) => n.fileName)).toEqual(['01_a.yaml', '02_b.yaml']);
    expect(result.problems).toEqual([{ file: 'r/../../x.yaml', message: 'refused: a ".." segment that leaves the course folder' }]);

    const list = (await (await collections.GET(new Request(`${base}/api/collections`), params({}))).json()) as CollectionDto[];
    expect(list.find((c) => c.id === result.collectionId)?.notebookIds).toEqual(result.notebooks.map((n) => n.id));

    const download = await exportRoute.GET(new Request(`${base}/x`), params({ id: result.collectionId }));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('filename="r.zip"');
    expect(Object.keys(unzipSync(new Uint8Array(await download.arrayBuffer()))).sort()).toEqual(['r/01_a.yaml', 'r/02_b.yaml']);
  });

  it('answers a missing name (400), a body that is no zip (422) and an unknown collection (404) with what is wrong', async () => {
    const noName = await collections.POST(new Request(`${base}/api/collections`, { method: 'POST', body: 'x' }), params({}));
    expect(noName.status).toBe(400);
    const junk = await collections.POST(new Request(`${base}/api/collections?name=junk.zip`, { method: 'POST', body: 'not a zip' }), params({}));
    expect(junk.status).toBe(422);
    expect(((await junk.json()) as ApiError).error).toContain('junk.zip is not a readable .zip file');
    const missing = await exportRoute.GET(new Request(`${base}/x`), params({ id: 'nope' }));
    expect(missing.status).toBe(404);
  });
});
