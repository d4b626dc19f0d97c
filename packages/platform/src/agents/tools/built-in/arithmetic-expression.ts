/** Why an expression could not be evaluated; the message is written for the model. */
export class ArithmeticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArithmeticError';
  }
}

export const maxExpressionLength = 1000;
const maxDepth = 64;

// why: Maps, not object literals, so names like `constructor` or `__proto__` find nothing.
const constants = new Map<string, number>([
  ['pi', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
]);

const unaryFunctions = new Map<string, (value: number) => number>(
  Object.entries({
    abs: Math.abs,
    sqrt: Math.sqrt,
    cbrt: Math.cbrt,
    exp: Math.exp,
    ln: Math.log,
    log: Math.log10,
    log10: Math.log10,
    log2: Math.log2,
    sin: Math.sin,
    cos: Math.cos,
    tan: Math.tan,
    asin: Math.asin,
    acos: Math.acos,
    atan: Math.atan,
    floor: Math.floor,
    ceil: Math.ceil,
    round: Math.round,
    trunc: Math.trunc,
    sign: Math.sign,
  }),
);

const variadicFunctions = new Map<string, (...values: number[]) => number>(
  Object.entries({
    min: Math.min,
    max: Math.max,
    hypot: Math.hypot,
    pow: (base = Number.NaN, exponent = Number.NaN) => base ** exponent,
  }),
);

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'symbol'; value: string; at: number };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),]))/y;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    pattern.lastIndex = position;
    const match = pattern.exec(expression);
    if (!match)
      throw new ArithmeticError(
        `Unexpected character '${expression[position]?.trim() || expression.slice(position).trim()[0]}' at position ${position + 1}.`,
      );
    const at = match.index + match[0].length - (match[1] ?? match[2] ?? match[3] ?? '').length;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), at });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2].toLowerCase(), at });
    else tokens.push({ kind: 'symbol', value: match[3] === '**' ? '^' : (match[3] ?? ''), at });
    position = pattern.lastIndex;
  }
  return tokens;
}

/**
 * Evaluates arithmetic without eval: numbers, + - * / % and ^ (or **, right-associative), unary
 * signs, parentheses, the constants pi, e and tau, and common Math functions (sqrt, ln, log, sin,
 * min, max, round, …). A recursive-descent parser with a depth limit; no names beyond these exist.
 */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > maxExpressionLength) {
    throw new ArithmeticError(`The expression is longer than ${maxExpressionLength} characters.`);
  }
  const tokens = tokenize(expression);
  if (tokens.length === 0) throw new ArithmeticError('The expression is empty.');
  let index = 0;
  let depth = 0;

  const peek = () => tokens[index];
  const isSymbol = (value: string) => {
    const token = peek();
    return token?.kind === 'symbol' && token.value === value;
  };
  const expect = (value: string) => {
    if (!isSymbol(value)) {
      const token = peek();
      throw new ArithmeticError(
        token ? `Expected '${value}' at position ${token.at + 1}.` : `Expected '${value}' at the end.`,
      );
    }
    index += 1;
  };
  const enter = () => {
    depth += 1;
    if (depth > maxDepth) throw new ArithmeticError(`The expression nests deeper than ${maxDepth} levels.`);
  };

  function parseSum(): number {
    let value = parseProduct();
    while (isSymbol('+') || isSymbol('-')) {
      const operator = (tokens[index++] as Token).value;
      const right = parseProduct();
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  }

  function parseProduct(): number {
    let value = parseUnary();
    while (isSymbol('*') || isSymbol('/') || isSymbol('%')) {
      const operator = (tokens[index++] as Token).value;
      const right = parseUnary();
      if ((operator === '/' || operator === '%') && right === 0)
        throw new ArithmeticError('Division by zero.');
      value = operator === '*' ? value * right : operator === '/' ? value / right : value % right;
    }
    return value;
  }

  function parseUnary(): number {
    if (isSymbol('-') || isSymbol('+')) {
      const operator = (tokens[index++] as Token).value;
      enter();
      const value = parseUnary();
      depth -= 1;
      return operator === '-' ? -value : value;
    }
    return parsePower();
  }

  function parsePower(): number {
    const base = parsePrimary();
    if (!isSymbol('^')) return base;
    index += 1;
    enter();
    const exponent = parseUnary();
    depth -= 1;
    return base ** exponent;
  }

  function parseArguments(): number[] {
    expect('(');
    const values: number[] = [];
    if (!isSymbol(')')) {
      values.push(parseSum());
      while (isSymbol(',')) {
        index += 1;
        values.push(parseSum());
      }
    }
    expect(')');
    return values;
  }

  function parsePrimary(): number {
    const token = peek();
    if (!token) throw new ArithmeticError('The expression ends too early.');
    if (token.kind === 'number') {
      index += 1;
      return token.value;
    }
    if (token.kind === 'symbol' && token.value === '(') {
      index += 1;
      enter();
      const value = parseSum();
      depth -= 1;
      expect(')');
      return value;
    }
    if (token.kind === 'name') {
      index += 1;
      const constant = constants.get(token.value);
      if (constant !== undefined && !isSymbol('(')) return constant;
      const unary = unaryFunctions.get(token.value);
      const variadic = variadicFunctions.get(token.value);
      if (!unary && !variadic)
        throw new ArithmeticError(`Unknown name '${token.value}' at position ${token.at + 1}.`);
      enter();
      const values = parseArguments();
      depth -= 1;
      if (unary) {
        if (values.length !== 1) throw new ArithmeticError(`${token.value}() takes one argument.`);
        return unary(values[0] as number);
      }
      if (values.length === 0) throw new ArithmeticError(`${token.value}() needs arguments.`);
      return (variadic as (...values: number[]) => number)(...values);
    }
    throw new ArithmeticError(`Unexpected '${token.value}' at position ${token.at + 1}.`);
  }

  const result = parseSum();
  const rest = peek();
  if (rest) throw new ArithmeticError(`Unexpected '${rest.value}' at position ${rest.at + 1}.`);
  if (!Number.isFinite(result)) throw new ArithmeticError('The result is not a finite number.');
  return result;
}

/** A result as text without binary floating-point noise (0.1 + 0.2 → 0.3). */
export function formatArithmeticResult(value: number): string {
  return String(Number(value.toPrecision(15)));
}
