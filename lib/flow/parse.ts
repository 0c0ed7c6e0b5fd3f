/** Parsing a flow's YAML text into a document with source positions, validating it, exporting it. */
import { parseDocument } from 'yaml';
import { readFlow } from './read-flow';
import type { FlowIssue, ParsedFlow } from './types';
import type { TaskCheckOptions } from './validate-tasks';

export type ValidateOptions = TaskCheckOptions;
export type { DefinitionLookup, TaskTypeSchema } from './validate-tasks';

/** Parses and validates. `flow` is undefined when the text cannot be read as a flow at all. */
export function parseFlow(text: string, options: ValidateOptions): ParsedFlow {
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const { flow, issues } = readFlow({ doc, text }, options);
  return flow ? { text, doc, flow, issues, catalog: options } : { text, doc, issues, catalog: options };
}

/** The flow read again after an edit of its text, against the same task catalog. */
export function reparse(parsed: ParsedFlow, text: string): ParsedFlow {
  return parseFlow(text, parsed.catalog);
}

/** Every issue of a parsed flow (YAML, structure, tasks, inputs, triggers), errors and warnings. */
export function validateFlow(parsed: ParsedFlow, options: ValidateOptions): FlowIssue[] {
  return readFlow(parsed, options).issues;
}

/** The notebook as Kestra flow YAML: the document's text, untouched parts byte-identical. */
export function exportFlow(parsed: ParsedFlow): string {
  return parsed.text;
}
