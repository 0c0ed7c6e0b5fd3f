/** Every function by name: Pebble core (range, max, min) and Kestra's `Extension.getFunctions`. */
import type { FunctionDefinition } from '../context';
import { CRYPTO_FUNCTIONS } from './crypto';
import { DATA_FUNCTIONS } from './data';
import { EXECUTION_FUNCTIONS } from './execution';
import { HOST_FUNCTIONS } from './host';
import { RENDER_FUNCTIONS } from './render';

export const FUNCTIONS: Record<string, FunctionDefinition> = {
  ...HOST_FUNCTIONS,
  ...RENDER_FUNCTIONS,
  ...DATA_FUNCTIONS,
  ...CRYPTO_FUNCTIONS,
  ...EXECUTION_FUNCTIONS,
};
