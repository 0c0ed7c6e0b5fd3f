/**
 * Flows read against the task types Flowbook can run: a type the registry does not know is
 * kept with a warning, every known task's properties are checked against its schema (unknown
 * properties are errors, as in Kestra), and every template reference against the flow and the
 * output names the task definitions declare. Everything above the tasks layer reads flows through here.
 */
import { parseFlow as parseWith, validateFlow as validateWith, type FlowIssue, type ParsedFlow } from '../flow';
import type { ReferenceEnvironment } from '../flow/references';
import { getTaskDefinition } from './registry';

const catalog = { lookup: getTaskDefinition };

/**
 * Parses and validates a flow. `environment` says which secrets and KV pairs exist where the
 * flow will run, so `secret('…')` and `kv('…')` references are checked too; without it they are not.
 */
export function parseFlow(text: string, environment?: ReferenceEnvironment): ParsedFlow {
  return parseWith(text, environment ? { ...catalog, environment } : catalog);
}

export function validateFlow(parsed: ParsedFlow): FlowIssue[] {
  const { environment } = parsed.catalog;
  return validateWith(parsed, environment ? { ...catalog, environment } : catalog);
}
