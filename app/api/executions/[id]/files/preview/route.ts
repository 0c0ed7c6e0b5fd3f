import { json, parseWith, queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';
import { Problem } from '@/lib/model/problem';
import { previewQuerySchema } from '@/lib/api/schemas';
import { resolveExecutionFile } from '@/lib/notebooks/files';
import { preview } from '@/lib/preview';
import type { PreviewDto } from '@/lib/contract';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, req, { params }) => {
  const q = parseWith(previewQuerySchema, queryOf(req), 'query');
  const file = await resolveExecutionFile(app.db, app.engine.storage, (await params).id, q.uri);
  let page: Awaited<ReturnType<typeof preview>>;
  try {
    page = await preview(app.engine.storage, file.uri, {
      offset: q.offset,
      limit: q.limit,
      sort: q.sort ? { column: q.sort, direction: q.dir } : undefined,
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'PreviewError') throw new Problem('unprocessable', err.message, {}, { cause: err });
    throw err;
  }
  const { compressed: _compressed, ...rest } = page;
  return json<PreviewDto>({ ...rest, offset: q.offset, limit: q.limit });
});
