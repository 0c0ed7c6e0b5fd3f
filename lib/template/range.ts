/** Pebble's `range(start, end, increment)` and `a..b`: inclusive bounds, numbers or single characters. */
import { toLong } from './operators';
import { typeName } from './values';

/** A `1..1000000000` in a template should fail, not exhaust memory. */
const MAX_ITEMS = 1_000_000;

export function range(start: unknown, end: unknown, increment: unknown, fail: (message: string) => Error): unknown[] {
  const step = toLong(increment);
  if (step === undefined || step === 0) throw fail('The increment of the range function must be different than 0');
  const out: unknown[] = [];
  const s = toLong(start);
  const e = toLong(end);
  if (s !== undefined && e !== undefined) {
    for (let i = s; step > 0 ? i <= e : i >= e; i += step) {
      if (out.length >= MAX_ITEMS) throw fail(`Range is larger than ${MAX_ITEMS} items`);
      out.push(i);
    }
    return out;
  }
  if (typeof start === 'string' && typeof end === 'string' && start.length === 1 && end.length === 1) {
    const a = start.charCodeAt(0);
    const b = end.charCodeAt(0);
    for (let i = a; step > 0 ? i <= b : i >= b; i += step) out.push(String.fromCharCode(i));
    return out;
  }
  throw fail(`Range bounds must be numbers or single characters, got ${typeName(start)} and ${typeName(end)}`);
}
