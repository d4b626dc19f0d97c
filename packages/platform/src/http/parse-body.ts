/** Request parsing with zod (a 400 naming the field); shared with the platform's background services. */
export { parseWith } from '../platform/wire/index.ts';
