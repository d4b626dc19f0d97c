import type { RandomSource } from '../../support/index.ts';
import { pickOne, randomInteger } from './deterministic-random.ts';

/** A parsed piece of a regular expression, in the subset we can generate strings for. */
type PatternNode =
  | { kind: 'characters'; choices: readonly string[] }
  | { kind: 'group'; alternatives: PatternNode[][] }
  | { kind: 'repeat'; node: PatternNode; minimum: number; maximum: number };

class UnsupportedPattern extends Error {}

const digits = [...'0123456789'];
const lowercase = [...'abcdefghijklmnopqrstuvwxyz'];
const uppercase = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const wordCharacters = [...lowercase, ...uppercase, ...digits, '_'];
const printable = Array.from({ length: 0x7e - 0x20 + 1 }, (_, offset) => String.fromCharCode(0x20 + offset));
const escapeClasses: Record<string, readonly string[]> = {
  d: digits,
  w: wordCharacters,
  s: [' '],
  D: lowercase,
  W: [' ', '-', '.'],
  S: lowercase,
};
const controlEscapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
/** Why a cap: `*` and `+` are unbounded, and short strings fit maxLength more often. */
const extraRepeats = 4;

/**
 * A string that matches `pattern` (JSON Schema semantics: unanchored, Unicode), within the length
 * bounds, or undefined when the pattern uses features we cannot generate for. The result is
 * always checked against the real RegExp, so a returned string is guaranteed to match.
 */
export function sampleFromPattern(
  pattern: string,
  random: RandomSource,
  bounds: { minimumLength: number; maximumLength: number },
): string | undefined {
  let expression: RegExp;
  let tree: PatternNode;
  try {
    expression = new RegExp(pattern, 'u');
    tree = new PatternParser(pattern).parse();
  } catch {
    return undefined;
  }
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const candidate = generate(tree, random);
    const length = [...candidate].length;
    if (length < bounds.minimumLength || length > bounds.maximumLength) continue;
    if (expression.test(candidate)) return candidate;
  }
  return undefined;
}

function generate(node: PatternNode, random: RandomSource): string {
  switch (node.kind) {
    case 'characters':
      return node.choices.length === 0 ? '' : pickOne(random, node.choices);
    case 'group':
      return pickOne(random, node.alternatives)
        .map((child) => generate(child, random))
        .join('');
    case 'repeat': {
      const count = randomInteger(random, node.minimum, node.maximum);
      let text = '';
      for (let index = 0; index < count; index += 1) text += generate(node.node, random);
      return text;
    }
  }
}

/** A recursive-descent parser for literals, classes, groups, alternation and quantifiers. */
class PatternParser {
  private position = 0;
  private readonly characters: string[];

  constructor(pattern: string) {
    this.characters = [...pattern];
  }

  parse(): PatternNode {
    const node = this.alternation();
    if (this.position < this.characters.length) throw new UnsupportedPattern('unbalanced )');
    return node;
  }

  private peek(): string | undefined {
    return this.characters[this.position];
  }

  private next(): string {
    const character = this.characters[this.position];
    if (character === undefined) throw new UnsupportedPattern('unexpected end');
    this.position += 1;
    return character;
  }

  private alternation(): PatternNode {
    const alternatives: PatternNode[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.position += 1;
      alternatives.push(this.sequence());
    }
    return { kind: 'group', alternatives };
  }

  private sequence(): PatternNode[] {
    const nodes: PatternNode[] = [];
    for (let character = this.peek(); character !== undefined; character = this.peek()) {
      if (character === '|' || character === ')') break;
      const atom = this.atom();
      if (atom !== undefined) nodes.push(this.quantified(atom));
    }
    return nodes;
  }

  /** Undefined for anchors, which match the empty string here and are checked by the RegExp. */
  private atom(): PatternNode | undefined {
    const character = this.next();
    switch (character) {
      case '^':
      case '$':
        return undefined;
      case '.':
        return { kind: 'characters', choices: [...lowercase, ...digits] };
      case '(': {
        if (this.peek() === '?') {
          this.position += 1;
          if (this.next() !== ':') throw new UnsupportedPattern('lookaround or named group');
        }
        const group = this.alternation();
        if (this.next() !== ')') throw new UnsupportedPattern('unclosed group');
        return group;
      }
      case '[':
        return { kind: 'characters', choices: this.characterClass() };
      case '\\':
        return { kind: 'characters', choices: this.escape() };
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        throw new UnsupportedPattern(`misplaced ${character}`);
      default:
        return { kind: 'characters', choices: [character] };
    }
  }

  private escape(): readonly string[] {
    const character = this.next();
    const known = escapeClasses[character];
    if (known !== undefined) return known;
    const control = controlEscapes[character];
    if (control !== undefined) return [control];
    if (/[a-zA-Z0-9]/.test(character)) throw new UnsupportedPattern(`escape \\${character}`);
    return [character];
  }

  private characterClass(): string[] {
    const negated = this.peek() === '^';
    if (negated) this.position += 1;
    const members = new Set<string>();
    while (this.peek() !== ']') {
      let start = this.next();
      if (start === '\\') {
        const escaped = this.escape();
        if (escaped.length !== 1) {
          for (const member of escaped) members.add(member);
          continue;
        }
        start = escaped[0] ?? start;
      }
      const rangeEnd = this.characters[this.position + 1];
      if (this.peek() === '-' && rangeEnd !== undefined && rangeEnd !== ']') {
        this.position += 1;
        let end = this.next();
        if (end === '\\') end = this.escape()[0] ?? end;
        this.addRange(members, start, end);
      } else {
        members.add(start);
      }
    }
    this.position += 1;
    if (!negated) return [...members];
    return printable.filter((character) => !members.has(character));
  }

  private addRange(members: Set<string>, start: string, end: string): void {
    const from = start.codePointAt(0) ?? 0;
    const to = end.codePointAt(0) ?? 0;
    if (to < from || to - from > 5000) throw new UnsupportedPattern('range');
    for (let code = from; code <= to; code += 1) members.add(String.fromCodePoint(code));
  }

  private quantified(atom: PatternNode): PatternNode {
    const character = this.peek();
    let minimum: number;
    let maximum: number;
    if (character === '?') [minimum, maximum] = [0, 1];
    else if (character === '*') [minimum, maximum] = [0, extraRepeats];
    else if (character === '+') [minimum, maximum] = [1, 1 + extraRepeats];
    else if (character === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.characters.slice(this.position).join(''));
      if (match === null) return atom;
      minimum = Number(match[1]);
      maximum = match[2] === undefined ? minimum : match[3] ? Number(match[3]) : minimum + extraRepeats;
      this.position += match[0].length - 1;
    } else return atom;
    this.position += 1;
    if (this.peek() === '?') this.position += 1;
    return { kind: 'repeat', node: atom, minimum, maximum };
  }
}
