import { Readable } from 'node:stream';
import { exportBundle } from '@/lib/notebooks/export-bundle';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** The flow YAML and its namespace's files as one .zip download (`<flowId>.yaml`, `_files/<namespace>/…`). */
export const GET = route<Ctx>(async (app, _req, { params }) => {
  const { fileName, stream } = await exportBundle(app.notebooks, app.namespaceFiles, (await params).id);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': contentDisposition(fileName),
      'cache-control': 'no-store',
    },
  });
});

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
