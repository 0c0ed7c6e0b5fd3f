import { Readable } from 'node:stream';
import { json, parseWith, queryOf, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { exportArchiveQuerySchema, exportLayoutSchema } from '@/lib/api/kestra-schemas';

export const dynamic = 'force-dynamic';

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A namespace's notebooks and files in Kestra's git layout, as a .tar.gz to unpack at a repository's root. */
export const GET = route(async (app, req) => {
  const { namespace } = parseWith(exportArchiveQuerySchema, queryOf(req), 'query');
  const { fileName, body } = await app.kestra.exportArchive(namespace);
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    headers: { 'content-type': 'application/gzip', 'cache-control': 'no-store', 'content-disposition': contentDisposition(fileName) },
  });
});

/** The same layout written into a folder on this machine, committed with git when asked. */
export const POST = route(async (app, req) => {
  const body = await readBody(req, exportLayoutSchema);
  return json(await app.kestra.exportToDir(body));
});
