import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { saveKestraServerSchema } from '@/lib/api/kestra-schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, _req, { params }) => json(await app.kestra.servers.get((await params).id)));

/** A credential left out (`{ from: 'stored' }` without a value) keeps the saved one. */
export const PUT = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, saveKestraServerSchema);
  return json(await app.kestra.servers.update((await params).id, body));
});

export const DELETE = route<Ctx>(async (app, _req, { params }) => {
  await app.kestra.servers.remove((await params).id);
  return json({ deleted: true });
});
