/**
 * SECRET-type inputs: their values are masked in every log line, output and error of the
 * execution, and the execution's inputs (what its events carry, what is stored and shown) hold
 * them sealed, or masked where nothing can seal them (the CLI). Tasks render with the values.
 */
import type { FlowSpec } from '../flow';
import { SEALED_MASK } from '../model/sealed';
import type { SecretMasker } from './secret-mask';

/** Seals a SECRET input's value for storage (lib/secrets/inputs.ts, bound to the key by the composition root). */
export type SealSecretInput = (inputId: string, value: string) => string;

export function protectSecretInputs(
  specs: FlowSpec['inputs'],
  inputs: Record<string, unknown>,
  masker: SecretMasker,
  seal: SealSecretInput | undefined,
): Record<string, unknown> {
  const out = { ...inputs };
  for (const spec of specs) {
    const value = out[spec.id];
    if (spec.type !== 'SECRET' || typeof value !== 'string') continue;
    masker.add(value);
    out[spec.id] = seal ? seal(spec.id, value) : SEALED_MASK;
  }
  return out;
}
