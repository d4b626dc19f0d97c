import { describe, expect, it } from 'vitest';
import { evaluateArithmetic, formatArithmeticResult } from './arithmetic-expression.ts';

const evaluate = (expression: string) => formatArithmeticResult(evaluateArithmetic(expression));

describe('evaluateArithmetic', () => {
  it.each([
    ['1 + 2 * 3', '7'],
    ['(1 + 2) * 3', '9'],
    ['2 ^ 3 ^ 2', '512'],
    ['2 ** 10', '1024'],
    ['-2 ^ 2', '-4'],
    ['--3', '3'],
    ['10 % 4', '2'],
    ['0.1 + 0.2', '0.3'],
    ['1.5e3 / .5', '3000'],
    ['sqrt(16) + abs(-2)', '6'],
    ['max(1, 7, 3) - min(4, 2)', '5'],
    ['round(pi * 100) / 100', '3.14'],
    ['ln(e)', '1'],
    ['log(1000)', '3'],
    ['pow(2, 8)', '256'],
    ['  7  ', '7'],
  ])('%s = %s', (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['1 / 0', /Division by zero/],
    ['1 +', /ends too early/],
    ['(1 + 2', /Expected '\)'/],
    ['1 2', /Unexpected '2' at position 3/],
    ['process.exit(1)', /Unexpected character '\.'/],
    ['constructor', /Unknown name 'constructor'/],
    ['__proto__(1)', /Unknown name '__proto__'/],
    ['sqrt(1, 2)', /takes one argument/],
    ['sqrt(-1)', /not a finite number/],
    ['10 ^ 400', /not a finite number/],
    [`${'('.repeat(100)}1${')'.repeat(100)}`, /deeper than 64/],
    ['1+'.repeat(600), /longer than 1000/],
  ])('refuses %s', (expression, message) => {
    expect(() => evaluateArithmetic(expression)).toThrow(message);
  });
});
