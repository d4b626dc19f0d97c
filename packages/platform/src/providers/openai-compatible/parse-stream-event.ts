import type { z } from 'zod';
import { providerErrors } from '../../errors/index.ts';

/**
 * One SSE `data:` payload read against its wire schema. Not JSON, or not the format, is the
 * provider's fault (a bad response), quoted so the cause can be seen. `accept` lets a payload the
 * schema need not check through as it is (e.g. a plain-text chunk).
 */
export function parseStreamEvent<Schema extends z.ZodType>(
  data: string,
  provider: string,
  schema: Schema,
  format: string,
  accept?: (json: unknown) => json is z.output<Schema>,
): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw providerErrors.badResponse(provider, `a stream event is not JSON: ${data.slice(0, 200)}`);
  }
  if (accept?.(json)) return json;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw providerErrors.badResponse(
      provider,
      `a stream event does not match ${format}: ${data.slice(0, 200)}`,
    );
  }
  return parsed.data;
}
