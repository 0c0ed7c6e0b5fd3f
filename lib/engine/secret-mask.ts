/**
 * Masks secret values wherever they could surface: log lines, outputs and error messages.
 * A leak in an encoding is still a leak, so a secret is also recognised as people and
 * libraries print it by accident:
 * - URL encoding in every flavour at once: RFC 3986 and form encoding (`+` for a space), with
 *   or without `/` kept (Python's `urllib.parse.quote()` keeps it by default), upper- or
 *   lower-case hex, any mix of encoded and plain characters; and JSON escaping (`\"`, `\/`,
 *   `\uXXXX` for every character, as `json.dumps` with `ensure_ascii` writes non-ASCII). These
 *   are matched character by character, each character in any of its spellings.
 * - base64 and base64url, with and without padding, also inside a longer encoded value (the
 *   secret at any of the three byte offsets, as in an HTTP Basic `user:password` header), and
 *   hex in either case.
 * A line is masked whole, and a task's output reaches the masker in whole lines however it was
 * written (in pieces, across pipe reads), so a secret split between writes is masked too.
 */
export const MASK = '******';

/** Shorter values would mask ordinary words and numbers all over the logs. */
const MIN_SECRET_LENGTH = 3;
/** A base64 piece shorter than this (a short secret at an odd offset) would match ordinary base64 text. */
const MIN_ENCODED_PIECE = 5;
/**
 * How a runner marks a line it cut (lib/runners/process/line-splitter.ts; the engine does not
 * import runners): a secret cut in the middle there leaves a prefix that is masked as well.
 */
const LINE_CUT_MARKER = ' … [line cut: ';

const JSON_SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export class SecretMasker {
  private readonly secrets = new Set<string>();
  /** Regular expression sources with the least length they match, longest first when joined. */
  private readonly sources = new Map<string, number>();
  private pattern: RegExp | null = null;

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    const lines = secret.split(/\r?\n/).filter((l) => l.length >= 6);
    for (const part of new Set([secret, ...lines])) {
      this.sources.set(spellings(part), [...part].length);
      for (const literal of encodings(part)) this.sources.set(escapeRegExp(literal), literal.length);
    }
    this.pattern = null;
  }

  get size(): number {
    return this.sources.size;
  }

  mask(text: string): string {
    if (this.sources.size === 0 || text.length === 0) return text;
    if (!this.pattern) {
      // Longest first, so a secret's base64 form is replaced whole, not around an inner match.
      const sorted = [...this.sources].sort((a, b) => b[1] - a[1]).map(([source]) => source);
      this.pattern = new RegExp(sorted.join('|'), 'g');
    }
    return this.maskCutEnd(text.replace(this.pattern, MASK));
  }

  /** Masks every string inside a JSON-like value; returns a new value. */
  maskValue<T>(value: T): T {
    if (this.sources.size === 0) return value;
    return deepMap(value, (s) => this.mask(s)) as T;
  }

  /** A line cut inside a secret ends with the secret's first characters: those go too. */
  private maskCutEnd(text: string): string {
    const cut = text.lastIndexOf(LINE_CUT_MARKER);
    if (cut < 0) return text;
    const kept = text.slice(0, cut);
    for (const secret of this.secrets) {
      for (let n = Math.min(secret.length - 1, kept.length); n >= MIN_SECRET_LENGTH; n--) {
        if (kept.endsWith(secret.slice(0, n))) return kept.slice(0, kept.length - n) + MASK + text.slice(cut);
      }
    }
    return text;
  }
}

/** The secret, each character in any of its URL-encoded or JSON-escaped spellings. */
function spellings(secret: string): string {
  return [...secret].map(characterSpellings).join('');
}

function characterSpellings(char: string): string {
  const ways = new Set<string>([escapeRegExp(char)]);
  // Percent-encoding, byte by byte, in either case.
  ways.add([...Buffer.from(char, 'utf8')].map((b) => `%${caseless(b.toString(16).padStart(2, '0'))}`).join(''));
  if (char === ' ') ways.add('\\+');
  const short = JSON_SHORT_ESCAPES[char];
  if (short) ways.add(escapeRegExp(short));
  // JSON's \uXXXX, one per UTF-16 unit (a surrogate pair for characters past the BMP).
  ways.add([...Array(char.length).keys()].map((i) => `\\\\u${caseless(char.charCodeAt(i).toString(16).padStart(4, '0'))}`).join(''));
  return `(?:${[...ways].join('|')})`;
}

/** Hex digits matched in either case: `2f` → `2[fF]`. */
function caseless(hex: string): string {
  return [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

/** base64 (standard and URL alphabets, with and without padding, at the three byte offsets) and hex. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = new Set<string>();
  for (const alphabet of ['base64', 'base64url'] as const) {
    const whole = bytes.toString(alphabet);
    out.add(whole);
    out.add(whole.replace(/=+$/, ''));
    for (let offset = 0; offset < 3; offset++) {
      const piece = encodedPiece(bytes, offset, alphabet);
      if (piece.length >= MIN_ENCODED_PIECE) out.add(piece);
    }
  }
  out.add(bytes.toString('hex'));
  out.add(bytes.toString('hex').toUpperCase());
  return [...out].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/**
 * The base64 characters that depend on the secret's bytes only, when `offset` other bytes come
 * before it in the encoded value: those are the same whatever surrounds the secret.
 */
function encodedPiece(secret: Buffer, offset: number, alphabet: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString(alphabet).replace(/=+$/, '');
  const firstBit = offset * 8;
  const endBit = firstBit + secret.length * 8;
  const first = Math.ceil(firstBit / 6);
  const end = Math.floor(endBit / 6);
  return encoded.slice(first, end);
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
