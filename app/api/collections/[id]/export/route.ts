import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** The collection as a .zip in the course layout (README: Course collections). */
export const GET = route<Ctx>(async (app, _req, { params }) => {
  const { fileName, bytes } = await app.courses.exportZip((await params).id);
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': 'application/zip',
      'cache-control': 'no-store',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    },
  });
});
