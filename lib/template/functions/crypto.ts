/**
 * encrypt(key, plaintext) and decrypt(key, encrypted), Kestra's `EncryptionService`:
 * AES/GCM/NoPadding with a base64 key (16, 24 or 32 bytes), a random 12-byte IV and a 128-bit
 * tag; the wire format is base64(IV || ciphertext || tag), so values cross between Kestra and
 * Flowbook. An empty or null text is returned unchanged, as Kestra does.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { failAt, type ArgMap, type CallSite, type FunctionDefinition } from '../context';
import { typeName } from '../values';

const IV_LENGTH = 12;
const TAG_LENGTH = 16;

function cipherName(key: Buffer, site: CallSite): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  switch (key.length) {
    case 16: return 'aes-128-gcm';
    case 24: return 'aes-192-gcm';
    case 32: return 'aes-256-gcm';
    default: throw failAt(site, `Invalid AES key length: ${key.length} bytes (the key must be base64 of 16, 24 or 32 bytes)`);
  }
}

function stringArg(args: ArgMap, name: string, site: CallSite): string | null {
  const v = args.get(name);
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw failAt(site, `The '${site.name}' function expects '${name}' to be a string, got ${typeName(v)}`);
  return v;
}

/** Java's `Base64.getDecoder()` is strict: anything outside the alphabet is an error. */
function strictBase64(text: string, what: string, site: CallSite): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw failAt(site, `Illegal base64 character in the ${what}`);
  return Buffer.from(text, 'base64');
}

function keyOf(args: ArgMap, site: CallSite): Buffer {
  const key = stringArg(args, 'key', site);
  if (key === null) throw failAt(site, `The '${site.name}' function expects a base64 'key'`);
  return strictBase64(key, 'key', site);
}

export const CRYPTO_FUNCTIONS: Record<string, FunctionDefinition> = {
  encrypt: {
    args: ['key', 'plaintext'],
    call(args, site) {
      if (!args.has('key') || !args.has('plaintext')) throw failAt(site, "The 'encrypt' function expects two arguments 'key' and 'plaintext'.");
      const plaintext = stringArg(args, 'plaintext', site);
      const key = keyOf(args, site);
      if (plaintext === null || plaintext === '') return plaintext;
      const iv = randomBytes(IV_LENGTH);
      const cipher = createCipheriv(cipherName(key, site), key, iv, { authTagLength: TAG_LENGTH });
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    },
  },
  decrypt: {
    args: ['key', 'encrypted'],
    call(args, site) {
      if (!args.has('key') || !args.has('encrypted')) throw failAt(site, "The 'decrypt' function expects two arguments 'key' and 'encrypted'.");
      const encrypted = stringArg(args, 'encrypted', site);
      const key = keyOf(args, site);
      if (encrypted === null || encrypted === '') return encrypted;
      const bytes = strictBase64(encrypted, 'encrypted value', site);
      if (bytes.length < IV_LENGTH + TAG_LENGTH) throw failAt(site, 'Tag mismatch: the encrypted value is too short');
      const iv = bytes.subarray(0, IV_LENGTH);
      const tag = bytes.subarray(bytes.length - TAG_LENGTH);
      const decipher = createDecipheriv(cipherName(key, site), key, iv, { authTagLength: TAG_LENGTH });
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(bytes.subarray(IV_LENGTH, bytes.length - TAG_LENGTH)), decipher.final()]).toString('utf8');
      } catch (e) {
        // Java's Cipher reports a wrong key or altered data as "Tag mismatch".
        throw failAt(site, 'Tag mismatch: wrong key or altered encrypted value', e);
      }
    },
  },
};
