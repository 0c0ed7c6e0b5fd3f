import { json, queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { Problem } from '@/lib/model/problem';
import { listKv } from '@/lib/settings/kv';

export const dynamic = 'force-dynamic';

/** `?namespace=` lists one namespace; without it, every namespace that has pairs. */
export const GET = route(async (app, req) => {
  const namespace = queryOf(req).namespace || undefined;
  if (namespace !== undefined && !/^[a-z0-9][a-z0-9._-]*$/.test(namespace)) throw new Problem('invalid', 'query.namespace: a Kestra namespace such as company.team');
  return json(listKv(app.engine.kv, app.engine.storage, namespace));
});
