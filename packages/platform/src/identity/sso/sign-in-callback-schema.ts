import { z } from 'zod';

const parameter = z.string().max(4096).optional();

/**
 * The query of the provider's redirect back to the platform (authorization response, RFC 6749
 * 4.1.2 and 4.1.2.1, with the `iss` of RFC 9207). Unknown parameters are ignored.
 */
export const signInCallbackSchema = z.object({
  state: parameter,
  code: parameter,
  error: parameter,
  error_description: parameter,
  iss: parameter,
});

export type SignInCallback = z.infer<typeof signInCallbackSchema>;
