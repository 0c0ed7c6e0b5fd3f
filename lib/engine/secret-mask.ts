/**
 * Masks secret values wherever they could surface: log lines, outputs and error messages.
 * A secret is also recognised in the encodings people print by accident (base64, URL encoding,
 * JSON escaping), because a leak in any of them is still a leak.
 */
export const MASK = '******';

/** Shorter values would mask ordinary words and numbers all over the logs. */
const MIN_SECRET_LENGTH = 3;

export class SecretMasker {
  private readonly needles = new Set<string>();
  private pattern: RegExp | null = null;

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    const variants = new Set<string>([secret, ...secret.split(/\r?\n/).filter((l) => l.length >= 6)]);
    const b64 = Buffer.from(secret, 'utf8').toString('base64');
    variants.add(b64);
    variants.add(b64.replace(/=+$/, ''));
    variants.add(Buffer.from(secret, 'utf8').toString('base64url'));
    variants.add(encodeURIComponent(secret));
    variants.add(encodeURIComponent(secret).replace(/%20/g, '+'));
    variants.add(JSON.stringify(secret).slice(1, -1));
    const before = this.needles.size;
    for (const v of variants) if (v.length >= MIN_SECRET_LENGTH) this.needles.add(v);
    if (this.needles.size !== before) this.pattern = null;
  }

  get size(): number {
    return this.needles.size;
  }

  mask(text: string): string {
    if (this.needles.size === 0 || text.length === 0) return text;
    if (!this.pattern) {
      // Longest first, so a secret's base64 form is replaced whole, not around an inner match.
      const sorted = [...this.needles].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    }
    return text.replace(this.pattern, MASK);
  }

  /** Masks every string inside a JSON-like value; returns a new value. */
  maskValue<T>(value: T): T {
    if (this.needles.size === 0) return value;
    return deepMap(value, (s) => this.mask(s)) as T;
  }
}

function deepMap(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => deepMap(v, fn));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepMap(v, fn)]));
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
