/**
 * Kestra's truthiness of a rendered condition (core/.../utils/TruthUtils.java): after trimming,
 * exactly "false", "0", "-0" and "" are false; null is not true; anything else is true. If,
 * LoopUntil, runIf, Fail's condition and SLA assertions all decide this way.
 */
const FALSE_VALUES = new Set(['false', '0', '-0', '']);

export function isTruthy(rendered: unknown): boolean {
  if (rendered === null || rendered === undefined) return false;
  const text = typeof rendered === 'object' ? JSON.stringify(rendered) : String(rendered);
  return !FALSE_VALUES.has(text.trim());
}
