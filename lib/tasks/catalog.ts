/**
 * Flows read against the task types Flowbook can run: a type the registry does not know is
 * kept with a warning, and every known task's properties are checked against its schema.
 * Everything above the tasks layer reads flows through here.
 */
import { parseFlow as parseWith, validateFlow as validateWith, type FlowIssue, type ParsedFlow } from '../flow';
import { getTaskDefinition } from './registry';

const catalog = { lookup: getTaskDefinition };

export function parseFlow(text: string): ParsedFlow {
  return parseWith(text, catalog);
}

export function validateFlow(parsed: ParsedFlow): FlowIssue[] {
  return validateWith(parsed, catalog);
}
