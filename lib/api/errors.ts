/**
 * The one error class lib/ code throws for the API to turn into a response. Route
 * handlers are bundled by Next while the services are created by server.ts outside the
 * bundle, so `instanceof` cannot be trusted across that line: a Symbol.for brand can.
 */
import type { ApiError, FlowIssue } from './types';

const BRAND = Symbol.for('flowbook.ApiProblem');

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 503;

export class ApiProblem extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly status: ProblemStatus,
    message: string,
    readonly extra: Omit<ApiError, 'error'> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiProblem';
  }

  toBody(): ApiError {
    return { error: this.message, ...this.extra };
  }

  static notFound(what: string): ApiProblem {
    return new ApiProblem(404, `${what} not found`);
  }

  static invalidYaml(issues: FlowIssue[]): ApiProblem {
    const first = issues.find((i) => i.severity === 'error') ?? issues[0];
    const where = first?.pos ? ` (line ${first.pos.line}, column ${first.pos.column})` : '';
    return new ApiProblem(422, `the flow YAML is not valid: ${first?.message ?? 'unknown problem'}${where}`, { issues });
  }
}

export function isApiProblem(err: unknown): err is ApiProblem {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}
