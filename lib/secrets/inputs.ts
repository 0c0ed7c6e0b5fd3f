/**
 * SECRET-type inputs at rest: an execution row keeps a SECRET input's value sealed with the
 * secrets key (AES-256-GCM, crypto.ts, the input's id bound in), never in plain text; only a
 * task that runs with it gets the value, opened in memory.
 */
import { SEALED_PREFIX, isSealed } from '../model/sealed';
import { decrypt, encrypt } from './crypto';

const name = (inputId: string) => `input:${inputId}`;

export function sealInput(key: Buffer, inputId: string, value: string): string {
  return SEALED_PREFIX + encrypt(key, name(inputId), value);
}

/** The value of a sealed input; a value that is not sealed is returned as it is. */
export function openInput(key: Buffer, inputId: string, value: unknown): unknown {
  return isSealed(value) ? decrypt(key, name(inputId), value.slice(SEALED_PREFIX.length)) : value;
}
