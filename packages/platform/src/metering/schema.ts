/** The light entry the config file composes: schemas only, none of metering's code. */
export { type PlanFields, planFieldsSchema, planIdSchema } from './plans/plan-fields-schema.ts';
