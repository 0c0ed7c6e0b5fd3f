/** Public (no token): says only that the server answers, and which wire version it speaks. */
import { WIRE_VERSION } from '@/lib/contract';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true, wireVersion: WIRE_VERSION }, { headers: { 'cache-control': 'no-store' } });
}
