import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { Problem } from '@/lib/model/problem';
import { kvValueSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ namespace: string; key: string }> };

const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

async function target(params: Ctx['params']): Promise<{ namespace: string; key: string }> {
  const { namespace, key } = await params;
  if (!NAMESPACE.test(namespace)) throw new Problem('invalid', `invalid namespace "${namespace}"`);
  return { namespace, key };
}

function kvCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && err.name === 'KvError') throw new Problem('unprocessable', err.message, {}, { cause: err });
    throw err;
  }
}

export const PUT = route<Ctx>(async (app, req, { params }) => {
  const { namespace, key } = await target(params);
  const body = await readBody(req, kvValueSchema);
  kvCall(() => app.engine.kv.set(namespace, key, body.value, { type: body.type, ttlMs: body.ttlSeconds ? body.ttlSeconds * 1000 : undefined }));
  return json({ namespace, key });
});

export const DELETE = route<Ctx>(async (app, _req, { params }) => {
  const { namespace, key } = await target(params);
  if (!kvCall(() => app.engine.kv.delete(namespace, key))) throw Problem.notFound(`KV key ${key} in ${namespace}`);
  return json({ deleted: true });
});
