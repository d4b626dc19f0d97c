export { type Clock, type RandomSource, seededRandom, systemClock } from './clock.ts';
export { loadTokenizer, type Tokenizer } from './tokenizer.ts';
