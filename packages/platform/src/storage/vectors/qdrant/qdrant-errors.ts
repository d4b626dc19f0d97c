import { PlatformError } from '../../../errors/index.ts';

/**
 * A failed call to Qdrant as the platform's coded error: 503, retryable. The client's message
 * (which may quote the server's answer) stays in `cause`, for the logs, not for the caller.
 */
export function vectorStoreUnavailable(operation: string, cause: unknown): PlatformError {
  return new PlatformError({
    code: 'SERVICE_UNAVAILABLE',
    message: `The vector store (Qdrant) failed to ${operation}.`,
    hint: 'Retry shortly; if it persists, an operator should check that Qdrant answers at QDRANT_URL (vectors.qdrant.url).',
    status: 503,
    category: 'system',
    type: 'server_error',
    retryable: true,
    cause,
  });
}

/** Runs one Qdrant call, turning its failure into {@link vectorStoreUnavailable}. */
export async function callQdrant<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw vectorStoreUnavailable(operation, error);
  }
}
