import { json, readBody } from '@/lib/api/http';
import { renameNamespaceFileSchema } from '@/lib/api/namespace-file-schemas';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ namespace: string }> };

/** Moves a file to a free path (409 when taken). */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const { namespace } = await params;
  const { from, to } = await readBody(req, renameNamespaceFileSchema);
  return json(await app.namespaceFiles.rename(namespace, from, to));
});
