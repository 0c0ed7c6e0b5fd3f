/**
 * AES-256-GCM for secrets at rest. The key comes from FLOWBOOK_SECRET_KEY (32 bytes as
 * base64 or hex, or any passphrase, stretched) or from `<dataDir>/secret.key`, created
 * once with 0600 permissions.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyFromText(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b64 = Buffer.from(t, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(t)) return b64;
  // A passphrase: stretched so a short one is not a short key. The salt is fixed on
  // purpose: the same passphrase must give the same key on every start.
  return scryptSync(t, 'flowbook-secrets', 32);
}

export function loadOrCreateKey(dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): Buffer {
  if (env.FLOWBOOK_SECRET_KEY) return keyFromText(env.FLOWBOOK_SECRET_KEY);
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return keyFromText(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx' refuses to overwrite a key another process wrote a moment ago.
  try {
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return keyFromText(fs.readFileSync(file, 'utf8'));
    throw err;
  }
  return key;
}

/** base64(iv | tag | ciphertext); the secret's name is bound in as associated data. */
export function encrypt(key: Buffer, name: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function decrypt(key: Buffer, name: string, stored: string): string {
  const raw = Buffer.from(stored, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error(`secret ${name}: stored value is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error(`secret ${name} cannot be decrypted: the key (FLOWBOOK_SECRET_KEY or secret.key) is not the one it was stored with`, { cause: err });
  }
}
