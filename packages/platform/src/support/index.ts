export { type Clock, type RandomSource, seededRandom, systemClock } from './clock.ts';
