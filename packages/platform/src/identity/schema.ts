/** The light entry the config file composes: schemas only, none of identity's code. */
export { type IdentityConfig, identityConfigSchema } from './identity-config-schema.ts';
export { type SessionSettings, sessionSettingsSchema } from './sessions/session-settings-schema.ts';
export { type SsoSettings, ssoSettingsSchema } from './sso/sso-settings-schema.ts';
