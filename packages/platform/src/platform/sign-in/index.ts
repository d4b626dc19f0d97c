/**
 * Single sign-on and browser sessions as services: sign-in start and completion (audited), session
 * refresh and sign-out, the callers of session cookies and workload JWTs, and the administration
 * of an organisation's connection. HTTP and every other surface only translate to these.
 */

export { workloadPrincipalId } from './caller-contexts.ts';
export { composeSignIn, type SignInComposition, type SignInCompositionOptions } from './compose-sign-in.ts';
export { signInErrors } from './sign-in-errors.ts';
export type {
  CompletedSignIn,
  SessionRequest,
  SignInServices,
} from './sign-in-services.ts';
export type { SsoConnectionServices } from './sso-connection-services.ts';
