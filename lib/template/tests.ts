/** Pebble's tests (`is defined`, `is empty`...) plus Kestra's `is json`. */
import { failAt, type TestDefinition } from './context';
import { asNumber, isList, isMap, typeName } from './values';

function isEmpty(input: unknown): boolean {
  if (input === null || input === undefined) return true;
  if (typeof input === 'string') return input.trim() === '';
  if (isList(input)) return input.length === 0;
  if (isMap(input)) return Object.keys(input).length === 0;
  return false;
}

const parity = (even: boolean): TestDefinition => ({
  args: null,
  test(input, _args, site) {
    const n = asNumber(input);
    if (!n) throw failAt(site, `Can not pass ${typeName(input)} value to "${site.name}" test`);
    return (Math.trunc(n.value) % 2 === 0) === even;
  },
});

export const TESTS: Record<string, TestDefinition> = {
  defined: { args: null, test: (input) => input !== null && input !== undefined },
  null: { args: null, test: (input) => input === null || input === undefined },
  empty: { args: null, test: (input) => isEmpty(input) },
  even: parity(true),
  odd: parity(false),
  iterable: { args: null, test: (input) => isList(input) },
  map: { args: null, test: (input) => isMap(input) },
  json: {
    args: null,
    test(input) {
      if (typeof input !== 'string') return false;
      try {
        JSON.parse(input);
        return true;
      } catch {
        return false;
      }
    },
  },
};

export { isEmpty };
