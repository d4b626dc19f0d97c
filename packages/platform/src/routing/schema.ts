/** The light entry the config file composes: schemas only, none of the router's code. */
export * from './routing-config-schema.ts';
