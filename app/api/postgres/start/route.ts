import type { PostgresStatusDto } from '@/lib/contract';
import { json, readBody } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { startPostgresSchema } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';

/** Starts the built-in PostgreSQL (course settings: root/root, ny_taxi); `pgdatabase` points at it while it runs. */
export const POST = route(async (app, req) => {
  const body = await readBody(req, startPostgresSchema);
  return json<PostgresStatusDto>(await app.postgres.start(body.port));
});
