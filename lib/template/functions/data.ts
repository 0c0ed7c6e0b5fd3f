/** Data functions: fromJson/json, fromIon, yaml, uuid, randomInt, range, max, min. */
import { randomInt as cryptoRandomInt, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { argString, failAt, type ArgMap, type CallSite, type FunctionDefinition } from '../context';
import { fromIonText } from '../ion';
import { range } from '../range';
import { asNumber, typeName } from '../values';

function fromJson(args: ArgMap, site: CallSite): unknown {
  const value = args.get('json');
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw failAt(site, `'${site.name}' expects a JSON string, got ${typeName(value)}`);
  try {
    return JSON.parse(value);
  } catch (e) {
    throw failAt(site, `Invalid JSON in '${site.name}': ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

function extreme(pick: (a: number, b: number) => boolean): FunctionDefinition {
  return {
    args: null,
    call(args, site) {
      let best: unknown;
      for (const v of args.values()) {
        const n = asNumber(v);
        if (!n) throw failAt(site, `'${site.name}' expects numbers, got ${typeName(v)}`);
        const b = asNumber(best);
        if (b === undefined || pick(n.value, b.value)) best = v;
      }
      return best ?? null;
    },
  };
}

export const DATA_FUNCTIONS: Record<string, FunctionDefinition> = {
  fromJson: { args: ['json'], call: fromJson },
  json: { args: ['json'], call: fromJson },
  yaml: {
    args: ['yaml'],
    call(args, site) {
      const text = argString(args, 'yaml', site);
      if (text === undefined) return null;
      try {
        return parseYaml(text) as unknown;
      } catch (e) {
        throw failAt(site, `Invalid YAML in 'yaml': ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, e);
      }
    },
  },
  /** FromIonFunction: the first Ion value of the text; structs become maps. */
  fromIon: {
    args: ['ion'],
    call(args, site) {
      if (!args.has('ion')) throw failAt(site, "The 'fromIon' function expects an argument 'ion'.");
      const text = args.get('ion');
      if (text === null || text === undefined) return null;
      if (typeof text !== 'string') throw failAt(site, "The 'fromIon' function expects an argument 'ion' with type string.");
      try {
        return fromIonText(text);
      } catch (e) {
        throw failAt(site, `Invalid ion: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, e);
      }
    },
  },
  uuid: { args: [], call: () => randomUUID() },
  randomInt: {
    args: ['lower', 'upper'],
    call(args, site) {
      const lower = asNumber(args.get('lower'));
      const upper = asNumber(args.get('upper'));
      if (!lower || !upper) throw failAt(site, "'randomInt' expects two numbers: lower (inclusive) and upper (exclusive)");
      if (lower.value >= upper.value) throw failAt(site, "'randomInt' expects 'lower' to be less than 'upper'");
      return cryptoRandomInt(Math.trunc(lower.value), Math.trunc(upper.value));
    },
  },
  range: {
    args: ['start', 'end', 'increment'],
    call: (args, site) => range(args.get('start'), args.get('end'), args.get('increment') ?? 1, (m) => failAt(site, m)),
  },
  max: extreme((a, b) => a > b),
  min: extreme((a, b) => a < b),
};
