import { afterEach, describe, expect, it, vi } from 'vitest';
import { isProblem } from '../model/problem';
import { readBody, readText } from './http';
import * as z from 'zod';

const MB = 1024 * 1024;

/** A body of `count` chunks of `size` bytes that records how many were pulled and whether it was cancelled. */
function countingBody(count: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === count) {
        controller.close();
        return;
      }
      seen.pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function post(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request('http://127.0.0.1/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

async function problemOf(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProblem(err)) throw new Error(`expected a Problem, got ${String(err)}`);
  return err;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('readText', () => {
  it('stops at the chunk that passes the cap, keeps nothing, and closes the body after a pause', async () => {
    vi.useFakeTimers();
    const { stream, seen } = countingBody(50, MB);
    const err = await problemOf(readText(post(stream), 10 * MB));
    expect(err.kind).toBe('too-large');
    expect(err.message).toContain('larger than 10 MB');
    // The 11th chunk passed the cap; the stream may have pulled one more ahead, no further.
    expect(seen.pulled).toBeLessThanOrEqual(12);
    expect(seen.cancelled).toBe(false);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(12);
  });

  it('refuses a declared length over the cap before reading anything', async () => {
    const { stream, seen } = countingBody(50, MB);
    const err = await problemOf(readText(post(stream, { 'content-length': String(50 * MB) }), 10 * MB));
    expect(err.kind).toBe('too-large');
    expect(seen.pulled).toBeLessThanOrEqual(1);
  });

  it('reads a body under the cap, and readBody parses and checks it', async () => {
    const { stream } = countingBody(3, 1000);
    expect(await readText(post(stream), 10 * MB)).toBe('a'.repeat(3000));
    const json = new TextEncoder().encode(JSON.stringify({ yaml: 'x' }));
    const one = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(json), c.close()) });
    expect(await readBody(post(one), z.object({ yaml: z.string() }))).toEqual({ yaml: 'x' });
  });
});
