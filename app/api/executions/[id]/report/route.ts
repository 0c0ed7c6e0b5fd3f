import { route } from '@/lib/server/route';
import { executionReport } from '@/lib/server/report';
import { parseReportCharts } from '@/lib/report';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

/**
 * The execution's run report as one HTML file to download. `?charts=` carries the charts
 * chosen on the page (they live in the browser); without it each result gets its default chart.
 */
export const GET = route<Ctx>(async (app, req, { params }) => {
  const charts = parseReportCharts(new URL(req.url).searchParams.get('charts'));
  const { fileName, html } = await executionReport(app, (await params).id, charts);
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'cache-control': 'no-store',
    },
  });
});
