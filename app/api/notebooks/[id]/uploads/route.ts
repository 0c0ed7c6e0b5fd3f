import { json, parseWith, queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { uploadQuerySchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** The file is the raw request body; `?name=` is only a hint for the stored file's name. */
export const POST = route<Ctx>(async (app, req, { params }) => {
  const { id } = await params;
  const { name } = parseWith(uploadQuerySchema, queryOf(req), 'query');
  await app.notebooks.row(id);
  const length = req.headers.get('content-length');
  return json(await app.uploads.save(id, name, req.body, length === null ? undefined : Number(length)), 201);
});
