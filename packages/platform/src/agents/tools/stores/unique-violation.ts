import { DatabaseError } from '../../../storage/db/index.ts';

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof DatabaseError && error.code === '23505';
}
