/**
 * Pebble's `OperatorUtils` over the runtime value model: long arithmetic stays whole
 * (1/2 is 0), any double makes the result a double, `+` with a string concatenates.
 */
import {
  asNumber, isList, isMap, javaEquals, javaToString, makeDouble, typeName, type JavaDouble,
} from './values';

export type Arithmetic = '+' | '-' | '*' | '/' | '%';

const OPERATION_NAMES: Record<Arithmetic, string> = {
  '+': 'ADD', '-': 'SUBTRACT', '*': 'MULTIPLICATION', '/': 'DIVISION', '%': 'MODULUS',
};

export class OperatorError extends Error {}

export function arithmetic(op: Arithmetic, left: unknown, right: unknown): unknown {
  if (op === '+' && (typeof left === 'string' || typeof right === 'string')) {
    return javaToString(left) + javaToString(right);
  }
  if (op === '+' && isList(left)) return isList(right) ? [...left, ...right] : [...left, right];
  if (op === '-' && isList(left)) {
    if (isList(right)) return left.filter((v) => !right.some((r) => javaEquals(v, r)));
    const i = left.findIndex((v) => javaEquals(v, right));
    return i < 0 ? [...left] : [...left.slice(0, i), ...left.slice(i + 1)];
  }
  const a = asNumber(left);
  const b = asNumber(right);
  if (!a || !b) {
    throw new OperatorError(
      `invalid operands for mathematical operation [${OPERATION_NAMES[op]}]: ${typeName(left)} ${op} ${typeName(right)}`,
    );
  }
  if (a.double || b.double) return makeDouble(doubleOp(op, a.value, b.value));
  return longOp(op, a.value, b.value);
}

function doubleOp(op: Arithmetic, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
  }
}

function longOp(op: Arithmetic, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) throw new OperatorError('/ by zero');
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new OperatorError('/ by zero');
      return a % b;
  }
}

export type Comparison = '<' | '>' | '<=' | '>=';

/** Kestra compares two strings lexicographically; otherwise both sides must be numbers. */
export function compare(op: Comparison, left: unknown, right: unknown): boolean {
  let result: number;
  if (typeof left === 'string' && typeof right === 'string') {
    result = left < right ? -1 : left > right ? 1 : 0;
  } else {
    if (left === null || left === undefined || right === null || right === undefined) return false;
    const a = asNumber(left);
    const b = asNumber(right);
    if (!a || !b) {
      throw new OperatorError(`invalid operands for mathematical comparison: ${typeName(left)} ${op} ${typeName(right)}`);
    }
    result = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
  switch (op) {
    case '<': return result < 0;
    case '>': return result > 0;
    case '<=': return result <= 0;
    case '>=': return result >= 0;
  }
}

/** Pebble's `contains`: list membership (or all of a list), map key, substring. */
export function contains(container: unknown, item: unknown): boolean {
  if (container === null || container === undefined) return false;
  if (isList(container)) {
    if (isList(item)) return item.every((i) => container.some((c) => javaEquals(c, i)));
    return container.some((c) => javaEquals(c, item));
  }
  if (isMap(container)) return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
  if (typeof container === 'string') return container.includes(javaToString(item));
  throw new OperatorError(`Contains operator can only be used on lists, maps and strings. Actual type was: ${typeName(container)}`);
}

/** Pebble's `TypeUtils.compatibleCast(x, Boolean)` as used by if/and/or/not and `? :`. */
export function toBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > 0;
  const n = asNumber(value);
  if (n) return !Number.isNaN(n.value) && n.value !== 0;
  throw new OperatorError(`Expected a boolean, string or number in ${where}, got ${typeName(value)}`);
}

/** The integer value of a `..` bound, `range()` argument or index. */
export function toLong(value: unknown): number | undefined {
  const n = asNumber(value);
  return n ? Math.trunc(n.value) : undefined;
}

export type { JavaDouble };
