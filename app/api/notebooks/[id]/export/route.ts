import { queryOf } from '@/lib/api/http';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

export const GET = route<Ctx>(async (app, req, { params }) => {
  const { yaml, fileName } = await app.notebooks.exportYaml((await params).id);
  const headers: Record<string, string> = { 'content-type': 'text/yaml; charset=utf-8', 'cache-control': 'no-store' };
  if (queryOf(req).download === '1') headers['content-disposition'] = contentDisposition(fileName);
  return new Response(yaml, { headers });
});

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
