import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { updateNotebookSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, _req, { params }) => json(await app.notebooks.get((await params).id)));

export const PUT = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, updateNotebookSchema);
  return json(await app.notebooks.update((await params).id, body.yaml, body.version));
});

/** Soft delete: POST …/restore brings it back. */
export const DELETE = route<Ctx>(async (app, _req, { params }) => {
  await app.notebooks.remove((await params).id);
  return json({ deleted: true });
});
