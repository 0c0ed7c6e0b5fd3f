import { json, parseWith, queryOf, route } from '@/lib/api/http';
import { ApiProblem } from '@/lib/api/errors';
import { previewQuerySchema } from '@/lib/api/schemas';
import { resolveExecutionFile } from '@/lib/notebooks/files';
import { preview } from '@/lib/preview';
import type { PreviewDto } from '@/lib/api/types';

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
    if (err instanceof Error && err.name === 'PreviewError') throw new ApiProblem(422, err.message, {}, { cause: err });
    throw err;
  }
  const { compressed: _compressed, ...rest } = page;
  return json<PreviewDto>({ ...rest, offset: q.offset, limit: q.limit });
});
