import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { patchCellSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string; taskId: string }> };

export const PATCH = route<Ctx>(async (app, req, { params }) => {
  const { id, taskId } = await params;
  return json(await app.notebooks.patchCell(id, taskId, await readBody(req, patchCellSchema)));
});

export const DELETE = route<Ctx>(async (app, _req, { params }) => {
  const { id, taskId } = await params;
  return json(await app.notebooks.deleteCell(id, taskId));
});
