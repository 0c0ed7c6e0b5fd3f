import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { saveInputsSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** The values typed into the notebook's inputs form (only those that differ from the YAML defaults). */
export const GET = route<Ctx>(async (app, _req, { params }) => json(await app.inputs.get((await params).id)));

export const PUT = route<Ctx>(async (app, req, { params }) => {
  const body = await readBody(req, saveInputsSchema);
  return json(await app.inputs.save((await params).id, body.values));
});

/** "Reset to defaults": forgets the stored values. */
export const DELETE = route<Ctx>(async (app, _req, { params }) => json(await app.inputs.reset((await params).id)));
