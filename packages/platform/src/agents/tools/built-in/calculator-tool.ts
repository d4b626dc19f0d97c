import type { Tool } from '../../tool-contract.ts';
import { defineTool } from '../define-tool.ts';
import type { ToolLimits } from '../tool-limits.ts';
import { evaluateArithmetic, formatArithmeticResult, maxExpressionLength } from './arithmetic-expression.ts';

/** `calculator`: exact-enough arithmetic for the model, evaluated by a parser (never eval). */
export function createCalculatorTool(limits?: ToolLimits): Tool {
  return defineTool(
    {
      name: 'calculator',
      description:
        'Evaluates an arithmetic expression and returns the number. Supports + - * / % ^ (power), parentheses, ' +
        'pi, e, and the functions sqrt, cbrt, abs, exp, ln, log (base 10), log2, sin, cos, tan, asin, acos, atan, ' +
        'floor, ceil, round, trunc, sign, min, max, hypot and pow. Use it instead of doing arithmetic in your head.',
      parameters: {
        type: 'object',
        properties: {
          expression: {
            type: 'string',
            minLength: 1,
            maxLength: maxExpressionLength,
            description: 'For example "(1250 * 0.075) / 12" or "sqrt(2) * max(3, 4)".',
          },
        },
        required: ['expression'],
        additionalProperties: false,
      },
    },
    async ({ expression }) => formatArithmeticResult(evaluateArithmetic(String(expression))),
    limits,
  );
}
