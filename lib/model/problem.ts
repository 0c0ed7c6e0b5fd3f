/**
 * The one error class services throw when a request cannot be done as asked. It names what
 * went wrong in domain terms (`not-found`, `conflict`, …); lib/api/problem-response.ts is the
 * one place that turns a kind into an HTTP status, and the CLI prints the message as is.
 *
 * Route handlers are bundled by Next while the services are created by server.ts outside
 * the bundle, so `instanceof` cannot be trusted across that line: a Symbol.for brand can.
 */
import type { FlowIssue } from './issues';

const BRAND = Symbol.for('flowbook.Problem');

export type ProblemKind =
  /** The request itself is malformed (bad JSON, a missing field, an unknown option). */
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  /** The thing changed since the caller read it, or another step must come first. */
  | 'conflict'
  | 'too-large'
  /** Well-formed but not acceptable: an invalid flow, an input of the wrong type. */
  | 'unprocessable'
  | 'unavailable';

/** Facts a client can act on, beside the message. */
export interface ProblemDetails {
  issues?: FlowIssue[];
  /** The cell to run first when a cell's upstream outputs do not exist yet. */
  missingTaskId?: string;
  /** For input errors: which input. */
  inputId?: string;
}

export class Problem extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly details: ProblemDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'Problem';
  }

  static notFound(what: string): Problem {
    return new Problem('not-found', `${what} not found`);
  }

  static invalidYaml(issues: FlowIssue[]): Problem {
    const first = issues.find((i) => i.severity === 'error') ?? issues[0];
    const where = first?.pos ? ` (line ${first.pos.line}, column ${first.pos.column})` : '';
    return new Problem('unprocessable', `the flow YAML is not valid: ${first?.message ?? 'unknown problem'}${where}`, { issues });
  }
}

export function isProblem(err: unknown): err is Problem {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}
