import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { anthropicErrorBodySchema, errorBodySchema } from './error-schemas.ts';
import { toStandaloneJsonSchema } from './json-schema.ts';
import { errorStatusesOf } from './openapi-document.ts';

/** What a check found wrong with one response. */
export interface ContractViolation {
  method: string;
  route: string;
  status: number;
  detail: string;
}

// why: ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** A JSON Schema 2020-12 validator that checks formats (`date-time`, `uri`, …) as the document states them. */
export function newSchemaValidator(): Ajv2020 {
  return addFormats(new Ajv2020({ strict: false, allErrors: true }));
}

const ajv = newSchemaValidator();
const validators = new WeakMap<z.ZodType, ValidateFunction>();

function validatorOf(schema: z.ZodType): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(toStandaloneJsonSchema(schema, 'output'));
    validators.set(schema, validate);
  }
  return validate;
}

function violationOf(request: FastifyRequest, reply: FastifyReply, payload: string): string | undefined {
  const config = request.routeOptions.config;
  const contract = config.contract;
  if (!contract) return undefined;
  const status = reply.statusCode;
  const route = {
    method: request.method,
    url: request.routeOptions.url ?? request.url,
    permission: config.permission,
    contract,
    errorFormat: config.errorFormat,
  };
  let schema: z.ZodType | undefined;
  const declared = contract.responses[status];
  if (status >= 400 && declared) {
    schema = declared.schema;
  } else if (status >= 400) {
    if (!errorStatusesOf(route).includes(status))
      return `the error status ${status} is not in the contract's errors`;
    schema = config.errorFormat === 'anthropic' ? anthropicErrorBodySchema : errorBodySchema;
  } else {
    const response = contract.responses[status];
    if (!response) return `the status ${status} is not among the documented responses`;
    schema = response.schema;
  }
  const contentType = String(reply.getHeader('content-type') ?? '');
  if (!schema || !contentType.includes('json') || payload === '') return undefined;
  const validate = validatorOf(schema);
  if (validate(JSON.parse(payload))) return undefined;
  return (validate.errors ?? [])
    .slice(0, 5)
    .map(
      (error) =>
        `${error.instancePath || 'body'} ${error.message ?? 'is invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`,
    )
    .join('; ');
}

/**
 * Checks every JSON response against the contract its route declares (status documented, body valid
 * against the documented schema). A response that is not is replaced by a 500 naming the difference,
 * so a test that exercises a route fails when the document would lie. Used by tests, not in production.
 */
export function checkResponseContracts(
  app: FastifyInstance,
  onViolation: (violation: ContractViolation) => void,
): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      request.method === 'HEAD' ||
      (typeof payload !== 'string' && payload !== null && payload !== undefined)
    ) {
      return payload;
    }
    const detail = violationOf(request, reply, typeof payload === 'string' ? payload : '');
    if (detail === undefined) return payload;
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    onViolation({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      status: reply.statusCode,
      detail,
    });
    const error = errors.responseContractViolation(route, detail);
    reply.status(error.status).type('application/json; charset=utf-8');
    return JSON.stringify(error.toResponseBody(request.id));
  });
}
