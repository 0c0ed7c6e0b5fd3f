/** Flow `inputs`: known types, unique ids, SELECT values, defaults of the right type. */
import { checkInputValue, isTemplate } from './inputs';
import type { IssueList } from './issues';
import { INPUT_TYPES, isInputType, type InputSpec, type YamlPath } from './types';
import { isRecord } from './walk';

const NEEDS_VALUES = new Set(['SELECT', 'MULTISELECT', 'ENUM']);

/** Kestra's Input.java `@Pattern`: dots are allowed, `nested.string` is read as `inputs.nested.string`. */
export const INPUT_ID = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((v) => (typeof v === 'string' ? v : String(v)));
}

/**
 * Reads a list of inputs: the flow's `inputs`, or a Pause's `onResume` (typed the same way);
 * `at` is where the list sits, for the positions of its issues.
 */
export function readInputs(value: unknown, issues: Pick<IssueList, 'error'>, at: YamlPath = ['inputs']): InputSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.error(at, `\`${String(at[at.length - 1] ?? 'inputs')}\` must be a list`);
    return [];
  }
  const specs: InputSpec[] = [];
  const seen = new Set<string>();
  value.forEach((raw, i) => {
    const path = [...at, i];
    if (!isRecord(raw)) {
      issues.error(path, 'an input must be a map with `id` and `type`');
      return;
    }
    // `name` is the pre-0.11 spelling of `id`.
    const idValue = raw.id ?? raw.name;
    if (typeof idValue !== 'string') {
      issues.error(raw.id === undefined ? path : [...path, 'id'], 'input is missing a string `id`');
      return;
    }
    const id = idValue;
    if (!INPUT_ID.test(id) || id.endsWith('.') || id.includes('..')) {
      issues.error([...path, 'id'], `invalid input id ${JSON.stringify(id)}: use letters, digits, ".", "_" and "-", starting with a letter or digit`);
    }
    if (seen.has(id)) issues.error([...path, 'id'], `duplicate input id ${JSON.stringify(id)}`);
    seen.add(id);

    const type = raw.type;
    if (!isInputType(type)) {
      issues.error(type === undefined ? path : [...path, 'type'], type === undefined
        ? `input ${JSON.stringify(id)} is missing \`type\``
        : `unknown input type ${JSON.stringify(type)}; expected one of ${INPUT_TYPES.join(', ')}`);
      return;
    }
    const values = stringList(raw.values);
    if (NEEDS_VALUES.has(type) && !values && raw.expression === undefined) {
      issues.error(path, `${type} input ${JSON.stringify(id)} needs a list of \`values\``);
    } else if (raw.values !== undefined && !values) {
      issues.error([...path, 'values'], '`values` must be a list');
    }
    const itemType = raw.itemType;
    if (itemType !== undefined && !isInputType(itemType)) {
      issues.error([...path, 'itemType'], `unknown item type ${JSON.stringify(itemType)}`);
    }
    if (type === 'ARRAY' && itemType === undefined) issues.error(path, `ARRAY input ${JSON.stringify(id)} needs an \`itemType\``);
    if (raw.required !== undefined && typeof raw.required !== 'boolean') issues.error([...path, 'required'], '`required` must be true or false');

    const spec: InputSpec = {
      id,
      type,
      required: raw.required !== false,
      raw,
    };
    if (raw.defaults !== undefined && raw.defaults !== null) spec.defaults = raw.defaults;
    if (typeof raw.description === 'string') spec.description = raw.description;
    if (typeof raw.displayName === 'string') spec.displayName = raw.displayName;
    if (values) spec.values = values;
    if (isInputType(itemType)) spec.itemType = itemType;

    if (spec.defaults !== undefined && !isTemplate(spec.defaults)) {
      const check = checkInputValue(spec, spec.defaults);
      if (!check.ok) issues.error([...path, 'defaults'], `default of ${type} input ${JSON.stringify(id)}: ${check.message}`);
    }
    specs.push(spec);
  });
  return specs;
}
