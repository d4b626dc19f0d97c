/** The light entry the config file composes: schemas only, none of identity's code. */
export { type IdentityConfig, identityConfigSchema } from './identity-config-schema.ts';
