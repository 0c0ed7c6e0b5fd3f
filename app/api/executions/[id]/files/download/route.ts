import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parseWith, queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { previewQuerySchema } from '@/lib/api/schemas';
import { resolveExecutionFile } from '@/lib/notebooks/files';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

const downloadQuery = previewQuerySchema.pick({ uri: true });

export const GET = route<Ctx>(async (app, req, { params }) => {
  const q = parseWith(downloadQuery, queryOf(req), 'query');
  const file = await resolveExecutionFile(app.db, app.engine.storage, (await params).id, q.uri);
  const body = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream<Uint8Array>;
  const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(body, {
    headers: {
      // Never rendered by the browser as a page: always a download, never sniffed.
      'content-type': 'application/octet-stream',
      'content-length': String(file.size),
      // HEAD answers lose content-length on the way out; the Files tab reads the size here.
      'x-file-size': String(file.size),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'cache-control': 'no-store',
    },
  });
});
