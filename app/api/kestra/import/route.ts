import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { importLayoutSchema } from '@/lib/api/kestra-schemas';

export const dynamic = 'force-dynamic';

/** Reads a Kestra git layout from a folder on this machine back into notebooks. */
export const POST = route(async (app, req) => {
  const body = await readBody(req, importLayoutSchema);
  return json(await app.kestra.importFromDir(body));
});
