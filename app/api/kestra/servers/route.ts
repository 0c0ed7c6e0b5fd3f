import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { saveKestraServerSchema } from '@/lib/api/kestra-schemas';

export const dynamic = 'force-dynamic';

/** Saved Kestra servers: address, tenant and where each credential comes from, never its value. */
export const GET = route(async (app) => json(await app.kestra.servers.list()));

export const POST = route(async (app, req) => {
  const body = await readBody(req, saveKestraServerSchema);
  return json(await app.kestra.servers.create(body), 201);
});
