/**
 * Errors raised while parsing or evaluating a template. Every message says what went wrong
 * and where: the template (or the tag inside it), the line and the column.
 */

export interface SourcePosition {
  /** 1-based line in the template. */
  line: number;
  /** 1-based column in the template. */
  column: number;
}

export interface TemplateErrorDetails {
  template?: string;
  position?: SourcePosition;
  cause?: unknown;
}

export class TemplateError extends Error {
  readonly template: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, details: TemplateErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TemplateError';
    this.template = details.template;
    this.line = details.position?.line;
    this.column = details.position?.column;
  }
}

/**
 * A missing variable or attribute under strict variables. It is a distinct class because
 * `??`, `???`, `default` and `is defined` recover from exactly this error and no other.
 * The message is Kestra's own (`VariableRenderer.properPebbleException`).
 */
export class MissingVariableError extends TemplateError {
  readonly attribute: string;

  constructor(attribute: string, template: string, position: SourcePosition) {
    super(`Missing variable: '${attribute}' on '${template}' at line ${position.line}`, { template, position });
    this.name = 'MissingVariableError';
    this.attribute = attribute;
  }
}

/** Builds a located error: "<what> in '<tag text>' at line L, column C". */
export function locatedError(
  what: string,
  where: { tagText: string; template: string; position: SourcePosition },
  cause?: unknown,
): TemplateError {
  return new TemplateError(
    `${what} in '${where.tagText}' at line ${where.position.line}, column ${where.position.column}`,
    { template: where.template, position: where.position, cause },
  );
}
