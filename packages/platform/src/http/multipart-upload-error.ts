import { errors, isPlatformError } from '../errors/index.ts';

/**
 * @fastify/multipart's own refusals (a file over `maximumBytes`, too many parts…) as coded 4xx
 * errors naming `file`; anything else passes through unchanged.
 */
export function multipartUploadError(caught: unknown, maximumBytes: number): unknown {
  if (isPlatformError(caught)) return caught;
  const code = (caught as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return errors.fileTooLarge(maximumBytes);
  if (typeof code === 'string' && code.startsWith('FST_')) {
    return errors.invalidRequest('file', `The multipart body was refused: ${(caught as Error).message}`);
  }
  return caught;
}
