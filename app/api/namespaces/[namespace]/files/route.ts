import { json, readBody } from '@/lib/api/http';
import { createNamespaceFileSchema } from '@/lib/api/namespace-file-schemas';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ namespace: string }> };

/** Every file of the namespace, sorted by path (the page builds the folder tree). */
export const GET = route<Ctx>(async (app, _req, { params }) => json(await app.namespaceFiles.list((await params).namespace)));

/** A new text file; 409 when the path exists. */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const { namespace } = await params;
  const { path, content } = await readBody(req, createNamespaceFileSchema);
  return json(await app.namespaceFiles.create(namespace, path, content), 201);
});
