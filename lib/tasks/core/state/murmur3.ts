/**
 * MurmurHash3 x64 128-bit of a string's UTF-8 bytes, printed as Guava's
 * `Hashing.murmur3_128().hashString(value, UTF_8).toString()` does (both halves little-endian,
 * hex): Kestra's `Hashing.hashToString`, which names the state of a loop iteration.
 */
const MASK = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function fmix(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  k ^= k >> 33n;
  return k;
}

function readLong(bytes: Uint8Array, offset: number, length = 8): bigint {
  let v = 0n;
  for (let i = length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i]);
  return v;
}

function littleEndianHex(v: bigint): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += Number((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
  return out;
}

export function murmur3x64128Hex(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let h1 = 0n;
  let h2 = 0n;
  const blocks = Math.floor(bytes.length / 16);
  for (let i = 0; i < blocks; i++) {
    let k1 = readLong(bytes, i * 16);
    let k2 = readLong(bytes, i * 16 + 8);
    k1 = (rotl((k1 * C1) & MASK, 31n) * C2) & MASK;
    h1 ^= k1;
    h1 = (((rotl(h1, 27n) + h2) & MASK) * 5n + 0x52dce729n) & MASK;
    k2 = (rotl((k2 * C2) & MASK, 33n) * C1) & MASK;
    h2 ^= k2;
    h2 = (((rotl(h2, 31n) + h1) & MASK) * 5n + 0x38495ab5n) & MASK;
  }
  const tail = blocks * 16;
  const rest = bytes.length - tail;
  if (rest > 8) {
    let k2 = readLong(bytes, tail + 8, rest - 8);
    k2 = (rotl((k2 * C2) & MASK, 33n) * C1) & MASK;
    h2 ^= k2;
  }
  if (rest > 0) {
    let k1 = readLong(bytes, tail, Math.min(rest, 8));
    k1 = (rotl((k1 * C1) & MASK, 31n) * C2) & MASK;
    h1 ^= k1;
  }
  const len = BigInt(bytes.length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  return littleEndianHex(h1) + littleEndianHex(h2);
}
