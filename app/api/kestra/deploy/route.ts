import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { deploySchema } from '@/lib/api/kestra-schemas';

export const dynamic = 'force-dynamic';

/** Compares a notebook (or a namespace) with a Kestra server; with `dryRun: false`, also applies. */
export const POST = route(async (app, req) => {
  const body = await readBody(req, deploySchema);
  return json(await app.kestra.deploy(body));
});
