/**
 * In-place edits of a flow's triggers, like the task edits in ./edit: only the text of the
 * changed property is rewritten, every other byte (comments, layout) stays as it was.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { setItemProperty } from './edit';
import { nodeAt } from './positions';
import { FlowEditError, spanAt } from './task-spans';
import type { ParsedFlow } from './types';

/** Sets (or, with `undefined`, removes) one property of the trigger with this id. */
export function setTriggerProperty(parsed: ParsedFlow, triggerId: string, property: string, value: unknown): ParsedFlow {
  const triggers = nodeAt(parsed.doc, ['triggers']);
  if (!isSeq(triggers)) throw new FlowEditError(`no trigger with id "${triggerId}" in the flow (it has no \`triggers\` list)`);
  const index = triggers.items.findIndex((item) => isMap(item) && item.items.some((p) => isScalar(p.key) && p.key.value === 'id' && isScalar(p.value) && String(p.value.value) === triggerId));
  if (index < 0) throw new FlowEditError(`no trigger with id "${triggerId}" in the flow`);
  if (triggers.flow) throw new FlowEditError(`trigger "${triggerId}" is written in a flow-style list ([...]); edit the YAML text directly`);
  const span = spanAt(parsed.text, triggers, index, ['triggers', index]);
  return setItemProperty(parsed, span, { kind: 'trigger', id: triggerId }, property, value);
}
