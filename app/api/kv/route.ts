import { json, queryOf, route } from '@/lib/api/http';
import { ApiProblem } from '@/lib/api/errors';
import type { KvEntryDto } from '@/lib/api/types';

export const dynamic = 'force-dynamic';

export const GET = route(async (app, req) => {
  const namespace = queryOf(req).namespace;
  if (!namespace || !/^[a-z0-9][a-z0-9._-]*$/.test(namespace)) throw new ApiProblem(400, 'query.namespace: a Kestra namespace such as company.team');
  const kv = app.engine.kv;
  const entries: KvEntryDto[] = kv.list(namespace).map((e) => {
    const got = kv.get(namespace, e.key);
    return { namespace, ...e, value: got.found ? got.value : null };
  });
  return json(entries);
});
