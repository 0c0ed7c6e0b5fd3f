/**
 * Pebble/Kestra-compatible template rendering: `{{ }}` expressions, `{% %}` tags, Kestra's
 * filters and functions, strict variables, non-recursive rendering with `render()`.
 */
export { TemplateError, MissingVariableError } from './errors';
export type { SourcePosition } from './errors';
export { defaultHost } from './host';
export type { TemplateHost } from './host';
export { renderTemplate, renderValue, evaluateExpression, MAX_RENDERING_AMOUNT } from './render';
