/**
 * A SECRET input's value as an execution keeps it: encrypted (lib/secrets/inputs.ts), with this
 * prefix so every layer can tell it from a plain value and show it masked, without the key.
 */
export const SEALED_PREFIX = 'flowbook-sealed:v1:';

/** Shown wherever a sealed value would be (the API, the UI). */
export const SEALED_MASK = '******';

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** The inputs as they may be shown: every sealed value masked. */
export function maskSealedInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, isSealed(v) ? SEALED_MASK : v]));
}
