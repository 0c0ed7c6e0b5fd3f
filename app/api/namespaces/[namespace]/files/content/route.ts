import { Readable } from 'node:stream';
import { json, parseWith, queryOf, readBody } from '@/lib/api/http';
import { namespaceFileQuerySchema, saveNamespaceFileSchema } from '@/lib/api/namespace-file-schemas';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ namespace: string }> };

/** One file: JSON for the editor (text, version), or with `download=1` its bytes as a download. */
export const GET = route<Ctx>(async (app, req, { params }) => {
  const { namespace } = await params;
  const q = parseWith(namespaceFileQuerySchema, queryOf(req), 'query');
  if (q.download !== '1') return json(await app.namespaceFiles.read(namespace, q.path));
  const { stream, size } = await app.namespaceFiles.open(namespace, q.path);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': contentDisposition(q.path.split('/').pop() ?? 'file'),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});

/** A save of what the editor loaded at `version`; 409 when the file was saved since. */
export const PUT = route<Ctx>(async (app, req, { params }) => {
  const { namespace } = await params;
  const q = parseWith(namespaceFileQuerySchema, queryOf(req), 'query');
  const { content, version } = await readBody(req, saveNamespaceFileSchema);
  return json(await app.namespaceFiles.save(namespace, q.path, content, version));
});

export const DELETE = route<Ctx>(async (app, req, { params }) => {
  const { namespace } = await params;
  const q = parseWith(namespaceFileQuerySchema, queryOf(req), 'query');
  await app.namespaceFiles.delete(namespace, q.path);
  return json({ deleted: q.path });
});

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
