import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/** The execution's stored log as a text file, streamed as it is read from the database. */
export const GET = route<Ctx>(async (app, _req, { params }) => {
  const { fileName, lines } = await app.runs.logText((await params).id);
  const encoder = new TextEncoder();
  const iterator = lines[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    // Pulled line by line: a slow reader holds back the database reads instead of filling memory.
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(body, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'cache-control': 'no-store',
    },
  });
});
