import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { secretValueSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ key: string }> };

export const PUT = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, secretValueSchema);
  return json(await app.secrets.set((await params).key, body.value));
});

export const DELETE = route<Ctx>(async (app, _req, { params }) => {
  await app.secrets.delete((await params).key);
  return json({ deleted: true });
});
