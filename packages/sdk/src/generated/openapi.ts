/**
 * Generated from docs/openapi.json by `npm run generate -w @kimi/sdk` (openapi-typescript).
 * Do not edit: regenerate when the document changes.
 */

export interface paths {
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Interactive API documentation (Swagger UI)
         * @description No credentials needed.
         */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file of the documentation page
         * @description No credentials needed.
         */
        get: operations["getApiDocsAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The OpenAPI 3.1 document of this API
         * @description Generated from the zod schemas the routes validate with.
         *
         *     No credentials needed.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{organizationId}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an organisation's API keys
         * @description Needs the `admin:keys` permission.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key (the secret is shown once)
         * @description Needs the `admin:keys` permission.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{organizationId}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an API key
         * @description Needs the `admin:keys` permission.
         */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key (at once, for good)
         * @description Needs the `admin:keys` permission.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{organizationId}/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API key: a new secret, the old one valid for a grace period
         * @description Needs the `admin:keys` permission.
         */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description An error in the shape Anthropic's clients parse. */
        AnthropicError: {
            error: {
                details: {
                    /** @description The stable error code. */
                    error_code: string;
                    hint?: string;
                    param?: string;
                };
                message: string;
                /** @description Anthropic's error type (e.g. `invalid_request_error`, `overloaded_error`). */
                type: string;
            };
            request_id?: string;
            /** @constant */
            type: "error";
        };
        /** @description An API key, never with its secret (shown once, at creation or rotation). */
        ApiKey: {
            allowed_models: string[] | null;
            /** Format: date-time */
            created_at: string;
            /** @description The first characters of the secret, to recognise it. */
            display_prefix: string;
            expires_at: string | null;
            id: string;
            last_used_at: string | null;
            metadata: {
                [key: string]: unknown;
            };
            name: string;
            /** @constant */
            object: "api_key";
            organization_id: string;
            revoked_at: string | null;
            /** @enum {string} */
            role: "platform_admin" | "owner" | "admin" | "developer" | "viewer" | "billing";
            /** @description Permissions the key is limited to (models:invoke, embeddings, models:read, swarms:read, swarms:write, tools:read, tools:write, knowledge:read, knowledge:write, usage:read, audit:read, billing:read, billing:write, admin:organization, admin:keys, admin:members, admin:owners, admin:budgets, admin:providers, admin:cache, admin:sso, platform:organizations, platform:plans, platform:network); null grants everything the role may do. */
            scopes: string[] | null;
            team_id: string | null;
            /** @description The person the key belongs to, if any. */
            user_id: string | null;
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
            /** @description Whether another page follows; ask for it with `after=<last_id>`. */
            has_more: boolean;
            /** @description The id of the last item on this page. */
            last_id: string | null;
            /** @constant */
            object: "list";
        };
        ApiKeyWithSecret: {
            allowed_models: string[] | null;
            /** Format: date-time */
            created_at: string;
            /** @description The first characters of the secret, to recognise it. */
            display_prefix: string;
            expires_at: string | null;
            id: string;
            last_used_at: string | null;
            metadata: {
                [key: string]: unknown;
            };
            name: string;
            /** @constant */
            object: "api_key";
            organization_id: string;
            revoked_at: string | null;
            /** @enum {string} */
            role: "platform_admin" | "owner" | "admin" | "developer" | "viewer" | "billing";
            /** @description Permissions the key is limited to (models:invoke, embeddings, models:read, swarms:read, swarms:write, tools:read, tools:write, knowledge:read, knowledge:write, usage:read, audit:read, billing:read, billing:write, admin:organization, admin:keys, admin:members, admin:owners, admin:budgets, admin:providers, admin:cache, admin:sso, platform:organizations, platform:plans, platform:network); null grants everything the role may do. */
            scopes: string[] | null;
            /** @description The secret: shown this once, store it now. */
            secret: string;
            team_id: string | null;
            /** @description The person the key belongs to, if any. */
            user_id: string | null;
        };
        /** @description An error, in the shape OpenAI clients parse, with a stable code and a hint. */
        Error: {
            error: {
                /** @description The stable error code (see the error codes table in docs/api.md). */
                code: string;
                /** @description How to recover. */
                hint?: string;
                /** @description What went wrong, for a person. */
                message: string;
                /** @description The request field at fault, when one is. */
                param: string | null;
                /** @description The request id (also the `x-request-id` header). */
                request_id?: string;
                /**
                 * @description OpenAI's error type, which OpenAI clients understand.
                 * @enum {string}
                 */
                type: "invalid_request_error" | "authentication_error" | "permission_error" | "not_found_error" | "rate_limit_error" | "insufficient_quota" | "api_error" | "server_error" | "timeout_error";
            };
        };
        RotatedApiKey: {
            allowed_models: string[] | null;
            /** Format: date-time */
            created_at: string;
            /** @description The first characters of the secret, to recognise it. */
            display_prefix: string;
            expires_at: string | null;
            id: string;
            last_used_at: string | null;
            metadata: {
                [key: string]: unknown;
            };
            name: string;
            /** @constant */
            object: "api_key";
            organization_id: string;
            /**
             * Format: date-time
             * @description Until when the previous secret keeps working.
             */
            previous_secret_valid_until: string;
            revoked_at: string | null;
            /** @enum {string} */
            role: "platform_admin" | "owner" | "admin" | "developer" | "viewer" | "billing";
            /** @description Permissions the key is limited to (models:invoke, embeddings, models:read, swarms:read, swarms:write, tools:read, tools:write, knowledge:read, knowledge:write, usage:read, audit:read, billing:read, billing:write, admin:organization, admin:keys, admin:members, admin:owners, admin:budgets, admin:providers, admin:cache, admin:sso, platform:organizations, platform:plans, platform:network); null grants everything the role may do. */
            scopes: string[] | null;
            /** @description The secret: shown this once, store it now. */
            secret: string;
            team_id: string | null;
            /** @description The person the key belongs to, if any. */
            user_id: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An HTML page rendering /openapi.json. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": unknown;
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiDocsAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One of `initializer.js`, `swagger-ui.css`, `swagger-ui-bundle.js`, `swagger-ui-standalone-preset.js`, `favicon-32x32.png`. */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file (script, stylesheet or icon). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to the caller (another tenant’s resources are never revealed). Codes: `MODEL_NOT_FOUND`, `NOT_FOUND`, `ROUTE_NOT_FOUND`, `INVITATION_INVALID`, `SSO_NOT_CONFIGURED`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The model does not exist or is not configured.",
                     *         "type": "not_found_error",
                     *         "code": "MODEL_NOT_FOUND",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "openapi": "3.1.0",
                     *       "info": {
                     *         "title": "Kimi Platform API",
                     *         "version": "0.1.0"
                     *       }
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                after?: string;
                include_revoked?: "true" | "false";
                limit?: number;
            };
            header?: never;
            path: {
                organizationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [
                     *         {
                     *           "id": "key_5fQm2Lx9Tb7cW1zR",
                     *           "object": "api_key",
                     *           "organization_id": "org_3kTtV5xQ1mZ8rB2w",
                     *           "name": "ci",
                     *           "role": "developer",
                     *           "scopes": null,
                     *           "user_id": null,
                     *           "team_id": null,
                     *           "display_prefix": "sk-kimi-Ab3d",
                     *           "allowed_models": [
                     *             "sim/fast"
                     *           ],
                     *           "metadata": {},
                     *           "expires_at": null,
                     *           "revoked_at": null,
                     *           "last_used_at": null,
                     *           "created_at": "2026-12-07T16:00:00.000Z"
                     *         }
                     *       ],
                     *       "has_more": false,
                     *       "last_id": "key_5fQm2Lx9Tb7cW1zR"
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is not valid. Codes: `API_KEY_MISSING`, `API_KEY_INVALID`, `API_KEY_EXPIRED`, `API_KEY_REVOKED`, `SESSION_ACCESS_TOKEN_INVALID`, `SESSION_ACCESS_TOKEN_EXPIRED`, `SESSION_REVOKED`, `SESSION_EXPIRED`, `SESSION_REFRESH_TOKEN_INVALID`, `SESSION_REFRESH_TOKEN_REUSED`, `SESSION_REFRESH_TOKEN_MISSING`, `SSO_PROVIDER_DENIED`, `SSO_ID_TOKEN_MALFORMED`, `SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED`, `SSO_ID_TOKEN_UNKNOWN_KEY`, `SSO_ID_TOKEN_BAD_SIGNATURE`, `SSO_ID_TOKEN_EXPIRED`, `SSO_ID_TOKEN_NOT_YET_VALID`, `SSO_ID_TOKEN_WRONG_ISSUER`, `SSO_ID_TOKEN_WRONG_AUDIENCE`, `SSO_ID_TOKEN_CLAIM_INVALID`, `SSO_ID_TOKEN_NONCE_MISMATCH`, `BEARER_TOKEN_MALFORMED`, `BEARER_TOKEN_ALGORITHM_NOT_ALLOWED`, `BEARER_TOKEN_UNKNOWN_KEY`, `BEARER_TOKEN_BAD_SIGNATURE`, `BEARER_TOKEN_EXPIRED`, `BEARER_TOKEN_NOT_YET_VALID`, `BEARER_TOKEN_WRONG_ISSUER`, `BEARER_TOKEN_WRONG_AUDIENCE`, `BEARER_TOKEN_CLAIM_INVALID`, `BEARER_TOKEN_NOT_ACCEPTED`, `BEARER_TOKEN_AMBIGUOUS`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "No API key was sent.",
                     *         "type": "authentication_error",
                     *         "code": "API_KEY_MISSING",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller lacks the permission, scope or role this needs. Codes: `SSO_REQUIRED`, `ORGANIZATION_DISABLED`, `MODEL_NOT_ALLOWED`, `PERMISSION_DENIED`, `MODEL_NOT_IN_PLAN`, `KNOWLEDGE_LIMIT_EXCEEDED`, `SESSION_MEMBERSHIP_ENDED`, `CSRF_TOKEN_MISSING`, `CSRF_TOKEN_INVALID`, `SSO_GROUPS_NOT_INLINE`, `SSO_ROLE_NOT_MAPPED`, `SSO_SIGN_IN_REFUSED`, `BEARER_TOKEN_ROLE_NOT_MAPPED`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A person's key is refused: the organization requires single sign-on.",
                     *         "type": "permission_error",
                     *         "code": "SSO_REQUIRED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to the caller (another tenant’s resources are never revealed). Codes: `MODEL_NOT_FOUND`, `NOT_FOUND`, `ROUTE_NOT_FOUND`, `INVITATION_INVALID`, `SSO_NOT_CONFIGURED`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The model does not exist or is not configured.",
                     *         "type": "not_found_error",
                     *         "code": "MODEL_NOT_FOUND",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A rate limit, quota or budget refused the request; see `Retry-After`. Codes: `AUTHENTICATION_RATE_LIMITED`, `RATE_LIMIT_EXCEEDED`, `CONCURRENCY_LIMIT_EXCEEDED`, `QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "Too many failed authentications; wait for Retry-After.",
                     *         "type": "rate_limit_error",
                     *         "code": "AUTHENTICATION_RATE_LIMITED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organizationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "ci",
                 *       "role": "developer",
                 *       "allowed_models": [
                 *         "sim/fast"
                 *       ]
                 *     }
                 */
                "application/json": {
                    allowed_models?: string[] | null;
                    expires_at?: string | null;
                    metadata?: {
                        [key: string]: unknown;
                    };
                    name: string;
                    /**
                     * @default developer
                     * @enum {string}
                     */
                    role?: "platform_admin" | "owner" | "admin" | "developer" | "viewer" | "billing" | "member";
                    scopes?: ("models:invoke" | "embeddings" | "models:read" | "swarms:read" | "swarms:write" | "tools:read" | "tools:write" | "knowledge:read" | "knowledge:write" | "usage:read" | "audit:read" | "billing:read" | "billing:write" | "admin:organization" | "admin:keys" | "admin:members" | "admin:owners" | "admin:budgets" | "admin:providers" | "admin:cache" | "admin:sso" | "platform:organizations" | "platform:plans" | "platform:network")[] | null;
                    team_id?: string | null;
                };
            };
        };
        responses: {
            /** @description The key, with its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "key_5fQm2Lx9Tb7cW1zR",
                     *       "object": "api_key",
                     *       "organization_id": "org_3kTtV5xQ1mZ8rB2w",
                     *       "name": "ci",
                     *       "role": "developer",
                     *       "scopes": null,
                     *       "user_id": null,
                     *       "team_id": null,
                     *       "display_prefix": "sk-kimi-Ab3d",
                     *       "allowed_models": [
                     *         "sim/fast"
                     *       ],
                     *       "metadata": {},
                     *       "expires_at": null,
                     *       "revoked_at": null,
                     *       "last_used_at": null,
                     *       "created_at": "2026-12-07T16:00:00.000Z",
                     *       "secret": "sk-kimi-Ab3dQ9v2Lm8xT5rW1zY7cN4bK6hJ0pF"
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKeyWithSecret"];
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is not valid. Codes: `API_KEY_MISSING`, `API_KEY_INVALID`, `API_KEY_EXPIRED`, `API_KEY_REVOKED`, `SESSION_ACCESS_TOKEN_INVALID`, `SESSION_ACCESS_TOKEN_EXPIRED`, `SESSION_REVOKED`, `SESSION_EXPIRED`, `SESSION_REFRESH_TOKEN_INVALID`, `SESSION_REFRESH_TOKEN_REUSED`, `SESSION_REFRESH_TOKEN_MISSING`, `SSO_PROVIDER_DENIED`, `SSO_ID_TOKEN_MALFORMED`, `SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED`, `SSO_ID_TOKEN_UNKNOWN_KEY`, `SSO_ID_TOKEN_BAD_SIGNATURE`, `SSO_ID_TOKEN_EXPIRED`, `SSO_ID_TOKEN_NOT_YET_VALID`, `SSO_ID_TOKEN_WRONG_ISSUER`, `SSO_ID_TOKEN_WRONG_AUDIENCE`, `SSO_ID_TOKEN_CLAIM_INVALID`, `SSO_ID_TOKEN_NONCE_MISMATCH`, `BEARER_TOKEN_MALFORMED`, `BEARER_TOKEN_ALGORITHM_NOT_ALLOWED`, `BEARER_TOKEN_UNKNOWN_KEY`, `BEARER_TOKEN_BAD_SIGNATURE`, `BEARER_TOKEN_EXPIRED`, `BEARER_TOKEN_NOT_YET_VALID`, `BEARER_TOKEN_WRONG_ISSUER`, `BEARER_TOKEN_WRONG_AUDIENCE`, `BEARER_TOKEN_CLAIM_INVALID`, `BEARER_TOKEN_NOT_ACCEPTED`, `BEARER_TOKEN_AMBIGUOUS`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "No API key was sent.",
                     *         "type": "authentication_error",
                     *         "code": "API_KEY_MISSING",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller lacks the permission, scope or role this needs. Codes: `SSO_REQUIRED`, `ORGANIZATION_DISABLED`, `MODEL_NOT_ALLOWED`, `PERMISSION_DENIED`, `MODEL_NOT_IN_PLAN`, `KNOWLEDGE_LIMIT_EXCEEDED`, `SESSION_MEMBERSHIP_ENDED`, `CSRF_TOKEN_MISSING`, `CSRF_TOKEN_INVALID`, `SSO_GROUPS_NOT_INLINE`, `SSO_ROLE_NOT_MAPPED`, `SSO_SIGN_IN_REFUSED`, `BEARER_TOKEN_ROLE_NOT_MAPPED`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A person's key is refused: the organization requires single sign-on.",
                     *         "type": "permission_error",
                     *         "code": "SSO_REQUIRED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to the caller (another tenant’s resources are never revealed). Codes: `MODEL_NOT_FOUND`, `NOT_FOUND`, `ROUTE_NOT_FOUND`, `INVITATION_INVALID`, `SSO_NOT_CONFIGURED`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The model does not exist or is not configured.",
                     *         "type": "not_found_error",
                     *         "code": "MODEL_NOT_FOUND",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large. Codes: `PAYLOAD_TOO_LARGE`, `FILE_TOO_LARGE`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body exceeds the size limit.",
                     *         "type": "invalid_request_error",
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. Codes: `UNSUPPORTED_MEDIA_TYPE`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The Content-Type or document format is not supported.",
                     *         "type": "invalid_request_error",
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A rate limit, quota or budget refused the request; see `Retry-After`. Codes: `AUTHENTICATION_RATE_LIMITED`, `RATE_LIMIT_EXCEEDED`, `CONCURRENCY_LIMIT_EXCEEDED`, `QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "Too many failed authentications; wait for Retry-After.",
                     *         "type": "rate_limit_error",
                     *         "code": "AUTHENTICATION_RATE_LIMITED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
                organizationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "key_5fQm2Lx9Tb7cW1zR",
                     *       "object": "api_key",
                     *       "organization_id": "org_3kTtV5xQ1mZ8rB2w",
                     *       "name": "ci",
                     *       "role": "developer",
                     *       "scopes": null,
                     *       "user_id": null,
                     *       "team_id": null,
                     *       "display_prefix": "sk-kimi-Ab3d",
                     *       "allowed_models": [
                     *         "sim/fast"
                     *       ],
                     *       "metadata": {},
                     *       "expires_at": null,
                     *       "revoked_at": null,
                     *       "last_used_at": null,
                     *       "created_at": "2026-12-07T16:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is not valid. Codes: `API_KEY_MISSING`, `API_KEY_INVALID`, `API_KEY_EXPIRED`, `API_KEY_REVOKED`, `SESSION_ACCESS_TOKEN_INVALID`, `SESSION_ACCESS_TOKEN_EXPIRED`, `SESSION_REVOKED`, `SESSION_EXPIRED`, `SESSION_REFRESH_TOKEN_INVALID`, `SESSION_REFRESH_TOKEN_REUSED`, `SESSION_REFRESH_TOKEN_MISSING`, `SSO_PROVIDER_DENIED`, `SSO_ID_TOKEN_MALFORMED`, `SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED`, `SSO_ID_TOKEN_UNKNOWN_KEY`, `SSO_ID_TOKEN_BAD_SIGNATURE`, `SSO_ID_TOKEN_EXPIRED`, `SSO_ID_TOKEN_NOT_YET_VALID`, `SSO_ID_TOKEN_WRONG_ISSUER`, `SSO_ID_TOKEN_WRONG_AUDIENCE`, `SSO_ID_TOKEN_CLAIM_INVALID`, `SSO_ID_TOKEN_NONCE_MISMATCH`, `BEARER_TOKEN_MALFORMED`, `BEARER_TOKEN_ALGORITHM_NOT_ALLOWED`, `BEARER_TOKEN_UNKNOWN_KEY`, `BEARER_TOKEN_BAD_SIGNATURE`, `BEARER_TOKEN_EXPIRED`, `BEARER_TOKEN_NOT_YET_VALID`, `BEARER_TOKEN_WRONG_ISSUER`, `BEARER_TOKEN_WRONG_AUDIENCE`, `BEARER_TOKEN_CLAIM_INVALID`, `BEARER_TOKEN_NOT_ACCEPTED`, `BEARER_TOKEN_AMBIGUOUS`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "No API key was sent.",
                     *         "type": "authentication_error",
                     *         "code": "API_KEY_MISSING",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller lacks the permission, scope or role this needs. Codes: `SSO_REQUIRED`, `ORGANIZATION_DISABLED`, `MODEL_NOT_ALLOWED`, `PERMISSION_DENIED`, `MODEL_NOT_IN_PLAN`, `KNOWLEDGE_LIMIT_EXCEEDED`, `SESSION_MEMBERSHIP_ENDED`, `CSRF_TOKEN_MISSING`, `CSRF_TOKEN_INVALID`, `SSO_GROUPS_NOT_INLINE`, `SSO_ROLE_NOT_MAPPED`, `SSO_SIGN_IN_REFUSED`, `BEARER_TOKEN_ROLE_NOT_MAPPED`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A person's key is refused: the organization requires single sign-on.",
                     *         "type": "permission_error",
                     *         "code": "SSO_REQUIRED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to the caller (another tenant’s resources are never revealed). Codes: `MODEL_NOT_FOUND`, `NOT_FOUND`, `ROUTE_NOT_FOUND`, `INVITATION_INVALID`, `SSO_NOT_CONFIGURED`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The model does not exist or is not configured.",
                     *         "type": "not_found_error",
                     *         "code": "MODEL_NOT_FOUND",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A rate limit, quota or budget refused the request; see `Retry-After`. Codes: `AUTHENTICATION_RATE_LIMITED`, `RATE_LIMIT_EXCEEDED`, `CONCURRENCY_LIMIT_EXCEEDED`, `QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "Too many failed authentications; wait for Retry-After.",
                     *         "type": "rate_limit_error",
                     *         "code": "AUTHENTICATION_RATE_LIMITED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
                organizationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "key_5fQm2Lx9Tb7cW1zR",
                     *       "object": "api_key",
                     *       "organization_id": "org_3kTtV5xQ1mZ8rB2w",
                     *       "name": "ci",
                     *       "role": "developer",
                     *       "scopes": null,
                     *       "user_id": null,
                     *       "team_id": null,
                     *       "display_prefix": "sk-kimi-Ab3d",
                     *       "allowed_models": [
                     *         "sim/fast"
                     *       ],
                     *       "metadata": {},
                     *       "expires_at": null,
                     *       "revoked_at": "2026-12-07T17:00:00.000Z",
                     *       "last_used_at": null,
                     *       "created_at": "2026-12-07T16:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is not valid. Codes: `API_KEY_MISSING`, `API_KEY_INVALID`, `API_KEY_EXPIRED`, `API_KEY_REVOKED`, `SESSION_ACCESS_TOKEN_INVALID`, `SESSION_ACCESS_TOKEN_EXPIRED`, `SESSION_REVOKED`, `SESSION_EXPIRED`, `SESSION_REFRESH_TOKEN_INVALID`, `SESSION_REFRESH_TOKEN_REUSED`, `SESSION_REFRESH_TOKEN_MISSING`, `SSO_PROVIDER_DENIED`, `SSO_ID_TOKEN_MALFORMED`, `SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED`, `SSO_ID_TOKEN_UNKNOWN_KEY`, `SSO_ID_TOKEN_BAD_SIGNATURE`, `SSO_ID_TOKEN_EXPIRED`, `SSO_ID_TOKEN_NOT_YET_VALID`, `SSO_ID_TOKEN_WRONG_ISSUER`, `SSO_ID_TOKEN_WRONG_AUDIENCE`, `SSO_ID_TOKEN_CLAIM_INVALID`, `SSO_ID_TOKEN_NONCE_MISMATCH`, `BEARER_TOKEN_MALFORMED`, `BEARER_TOKEN_ALGORITHM_NOT_ALLOWED`, `BEARER_TOKEN_UNKNOWN_KEY`, `BEARER_TOKEN_BAD_SIGNATURE`, `BEARER_TOKEN_EXPIRED`, `BEARER_TOKEN_NOT_YET_VALID`, `BEARER_TOKEN_WRONG_ISSUER`, `BEARER_TOKEN_WRONG_AUDIENCE`, `BEARER_TOKEN_CLAIM_INVALID`, `BEARER_TOKEN_NOT_ACCEPTED`, `BEARER_TOKEN_AMBIGUOUS`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "No API key was sent.",
                     *         "type": "authentication_error",
                     *         "code": "API_KEY_MISSING",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller lacks the permission, scope or role this needs. Codes: `SSO_REQUIRED`, `ORGANIZATION_DISABLED`, `MODEL_NOT_ALLOWED`, `PERMISSION_DENIED`, `MODEL_NOT_IN_PLAN`, `KNOWLEDGE_LIMIT_EXCEEDED`, `SESSION_MEMBERSHIP_ENDED`, `CSRF_TOKEN_MISSING`, `CSRF_TOKEN_INVALID`, `SSO_GROUPS_NOT_INLINE`, `SSO_ROLE_NOT_MAPPED`, `SSO_SIGN_IN_REFUSED`, `BEARER_TOKEN_ROLE_NOT_MAPPED`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A person's key is refused: the organization requires single sign-on.",
                     *         "type": "permission_error",
                     *         "code": "SSO_REQUIRED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to the caller (another tenant’s resources are never revealed). Codes: `MODEL_NOT_FOUND`, `NOT_FOUND`, `ROUTE_NOT_FOUND`, `INVITATION_INVALID`, `SSO_NOT_CONFIGURED`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The model does not exist or is not configured.",
                     *         "type": "not_found_error",
                     *         "code": "MODEL_NOT_FOUND",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A rate limit, quota or budget refused the request; see `Retry-After`. Codes: `AUTHENTICATION_RATE_LIMITED`, `RATE_LIMIT_EXCEEDED`, `CONCURRENCY_LIMIT_EXCEEDED`, `QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "Too many failed authentications; wait for Retry-After.",
                     *         "type": "rate_limit_error",
                     *         "code": "AUTHENTICATION_RATE_LIMITED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
                organizationId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "grace_period_seconds": 3600
                 *     }
                 */
                "application/json": {
                    /** @default 86400 */
                    grace_period_seconds?: number;
                };
            };
        };
        responses: {
            /** @description The key with its new secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "key_5fQm2Lx9Tb7cW1zR",
                     *       "object": "api_key",
                     *       "organization_id": "org_3kTtV5xQ1mZ8rB2w",
                     *       "name": "ci",
                     *       "role": "developer",
                     *       "scopes": null,
                     *       "user_id": null,
                     *       "team_id": null,
                     *       "display_prefix": "sk-kimi-Ab3d",
                     *       "allowed_models": [
                     *         "sim/fast"
                     *       ],
                     *       "metadata": {},
                     *       "expires_at": null,
                     *       "revoked_at": null,
                     *       "last_used_at": null,
                     *       "created_at": "2026-12-07T16:00:00.000Z",
                     *       "secret": "sk-kimi-Ab3dQ9v2Lm8xT5rW1zY7cN4bK6hJ0pF",
                     *       "previous_secret_valid_until": "2026-12-07T17:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["RotatedApiKey"];
                };
            };
            /** @description The request is invalid; `param` names the field. Codes: `INVALID_JSON`, `INVALID_REQUEST`, `MODEL_REQUIRED`, `MODEL_CAPABILITY_MISSING`, `INVALID_URL`, `MALFORMED_HTTP_REQUEST`, `TOOL_NOT_FOUND`, `MCP_SERVER_UNAVAILABLE`, `PROVIDER_INVALID_REQUEST`, `PROVIDER_DESTINATION_BLOCKED`, `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `SSO_ISSUER_NOT_ALLOWED`, `SSO_CLIENT_SECRET_REQUIRED`, `SSO_RETURN_PATH_INVALID`, `SSO_STATE_INVALID`, `SSO_BROWSER_MISMATCH`, `SSO_CONNECTION_CHANGED`, `SSO_ISSUER_RESPONSE_MISMATCH`, `SSO_CALLBACK_INVALID`, `SSO_AUTHORIZATION_CODE_INVALID`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body is not valid JSON.",
                     *         "type": "invalid_request_error",
                     *         "code": "INVALID_JSON",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is not valid. Codes: `API_KEY_MISSING`, `API_KEY_INVALID`, `API_KEY_EXPIRED`, `API_KEY_REVOKED`, `SESSION_ACCESS_TOKEN_INVALID`, `SESSION_ACCESS_TOKEN_EXPIRED`, `SESSION_REVOKED`, `SESSION_EXPIRED`, `SESSION_REFRESH_TOKEN_INVALID`, `SESSION_REFRESH_TOKEN_REUSED`, `SESSION_REFRESH_TOKEN_MISSING`, `SSO_PROVIDER_DENIED`, `SSO_ID_TOKEN_MALFORMED`, `SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED`, `SSO_ID_TOKEN_UNKNOWN_KEY`, `SSO_ID_TOKEN_BAD_SIGNATURE`, `SSO_ID_TOKEN_EXPIRED`, `SSO_ID_TOKEN_NOT_YET_VALID`, `SSO_ID_TOKEN_WRONG_ISSUER`, `SSO_ID_TOKEN_WRONG_AUDIENCE`, `SSO_ID_TOKEN_CLAIM_INVALID`, `SSO_ID_TOKEN_NONCE_MISMATCH`, `BEARER_TOKEN_MALFORMED`, `BEARER_TOKEN_ALGORITHM_NOT_ALLOWED`, `BEARER_TOKEN_UNKNOWN_KEY`, `BEARER_TOKEN_BAD_SIGNATURE`, `BEARER_TOKEN_EXPIRED`, `BEARER_TOKEN_NOT_YET_VALID`, `BEARER_TOKEN_WRONG_ISSUER`, `BEARER_TOKEN_WRONG_AUDIENCE`, `BEARER_TOKEN_CLAIM_INVALID`, `BEARER_TOKEN_NOT_ACCEPTED`, `BEARER_TOKEN_AMBIGUOUS`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "No API key was sent.",
                     *         "type": "authentication_error",
                     *         "code": "API_KEY_MISSING",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller lacks the permission, scope or role this needs. Codes: `SSO_REQUIRED`, `ORGANIZATION_DISABLED`, `MODEL_NOT_ALLOWED`, `PERMISSION_DENIED`, `MODEL_NOT_IN_PLAN`, `KNOWLEDGE_LIMIT_EXCEEDED`, `SESSION_MEMBERSHIP_ENDED`, `CSRF_TOKEN_MISSING`, `CSRF_TOKEN_INVALID`, `SSO_GROUPS_NOT_INLINE`, `SSO_ROLE_NOT_MAPPED`, `SSO_SIGN_IN_REFUSED`, `BEARER_TOKEN_ROLE_NOT_MAPPED`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A person's key is refused: the organization requires single sign-on.",
                     *         "type": "permission_error",
                     *         "code": "SSO_REQUIRED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or not visible to the caller (another tenant’s resources are never revealed). Codes: `MODEL_NOT_FOUND`, `NOT_FOUND`, `ROUTE_NOT_FOUND`, `INVITATION_INVALID`, `SSO_NOT_CONFIGURED`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The model does not exist or is not configured.",
                     *         "type": "not_found_error",
                     *         "code": "MODEL_NOT_FOUND",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large. Codes: `PAYLOAD_TOO_LARGE`, `FILE_TOO_LARGE`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The request body exceeds the size limit.",
                     *         "type": "invalid_request_error",
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. Codes: `UNSUPPORTED_MEDIA_TYPE`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The Content-Type or document format is not supported.",
                     *         "type": "invalid_request_error",
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A rate limit, quota or budget refused the request; see `Retry-After`. Codes: `AUTHENTICATION_RATE_LIMITED`, `RATE_LIMIT_EXCEEDED`, `CONCURRENCY_LIMIT_EXCEEDED`, `QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "Too many failed authentications; wait for Retry-After.",
                     *         "type": "rate_limit_error",
                     *         "code": "AUTHENTICATION_RATE_LIMITED",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An internal error; retry, and report the request id if it persists. Codes: `RESPONSE_CONTRACT_VIOLATION`, `INTERNAL_ERROR`, `INGESTION_ABANDONED`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
                     *         "type": "server_error",
                     *         "code": "RESPONSE_CONTRACT_VIOLATION",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unavailable: shutting down, a provider is down, or a circuit is open; retry later. Codes: `SERVICE_UNAVAILABLE`, `SIGN_IN_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "message": "The instance, or a service it depends on, is unavailable (or shutting down).",
                     *         "type": "server_error",
                     *         "code": "SERVICE_UNAVAILABLE",
                     *         "param": null,
                     *         "request_id": "req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
