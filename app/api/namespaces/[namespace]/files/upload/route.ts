import { json, parseWith, queryOf } from '@/lib/api/http';
import { uploadNamespaceFileQuerySchema } from '@/lib/api/namespace-file-schemas';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ namespace: string }> };

/** The file is the raw request body, streamed to disk under the caps; `overwrite=1` replaces an existing file. */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const { namespace } = await params;
  const q = parseWith(uploadNamespaceFileQuerySchema, queryOf(req), 'query');
  const length = req.headers.get('content-length');
  const declaredLength = length === null ? undefined : Number(length);
  return json(await app.namespaceFiles.upload(namespace, q.path, req.body, { declaredLength, overwrite: q.overwrite === '1' }), 201);
});
