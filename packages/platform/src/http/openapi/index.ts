export {
  type BodyContract,
  isBodyContract,
  type ResponseContract,
  type RouteContract,
} from '../route-contract.ts';
export { listEnvelopeSchema, metadataSchema, timestampSchema } from './common-schemas.ts';
export { docsAssets } from './docs-page.ts';
export { errorBodySchema } from './error-schemas.ts';
export { toStandaloneJsonSchema } from './json-schema.ts';
export {
  buildOpenApiDocument,
  type DocumentedRoute,
  errorStatusesOf,
  type OpenApiDocument,
  openApiPath,
} from './openapi-document.ts';
export { openApiDocumentOf, registerOpenApiRoutes } from './openapi-routes.ts';
export {
  type ContractViolation,
  checkResponseContracts,
  newSchemaValidator,
} from './response-conformance.ts';
