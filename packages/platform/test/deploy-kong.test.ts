import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repositoryYaml } from './support/deploy/deploy-files.ts';

/*
 * deploy/kong/kong.yml against the part of Kong's documented schema it uses, written out here:
 * - declarative format (_format_version "3.0", services with nested routes and plugins):
 *   https://developer.konghq.com/gateway/declarative-configuration/
 * - Service and Route entities (timeouts 1..2147483646 ms, retries 0..32767, paths start with "/"):
 *   https://developer.konghq.com/gateway/entities/service/ and https://developer.konghq.com/gateway/entities/route/
 * - rate-limiting (at least one of second…year; limit_by, policy enums):
 *   https://developer.konghq.com/plugins/rate-limiting/reference/
 * - request-size-limiting (allowed_payload_size, size_unit enum, require_content_length):
 *   https://developer.konghq.com/plugins/request-size-limiting/reference/
 * The objects are strict, so a misspelt field fails here as it fails `kong config parse`.
 */
const timeout = z.number().int().min(1).max(2_147_483_646);
const protocol = z.enum(['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'udp', 'ws', 'wss']);

const rateLimitingConfig = z
  .strictObject({
    second: z.number().positive().optional(),
    minute: z.number().positive().optional(),
    hour: z.number().positive().optional(),
    day: z.number().positive().optional(),
    month: z.number().positive().optional(),
    year: z.number().positive().optional(),
    limit_by: z
      .enum(['consumer', 'credential', 'ip', 'service', 'header', 'path', 'consumer-group'])
      .optional(),
    policy: z.enum(['local', 'cluster', 'redis']).optional(),
    fault_tolerant: z.boolean().optional(),
    hide_client_headers: z.boolean().optional(),
  })
  .refine(
    (config) => ['second', 'minute', 'hour', 'day', 'month', 'year'].some((unit) => unit in config),
    'rate-limiting needs at least one limit',
  );

const requestSizeLimitingConfig = z.strictObject({
  allowed_payload_size: z.number().int().positive().optional(),
  size_unit: z.enum(['megabytes', 'kilobytes', 'bytes']).optional(),
  require_content_length: z.boolean().optional(),
});

const plugin = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('rate-limiting'),
    enabled: z.boolean().optional(),
    config: rateLimitingConfig,
  }),
  z.strictObject({
    name: z.literal('request-size-limiting'),
    enabled: z.boolean().optional(),
    config: requestSizeLimitingConfig,
  }),
]);

const route = z.strictObject({
  name: z.string().min(1),
  paths: z.array(z.string().regex(/^(\/|~)/)).min(1),
  strip_path: z.boolean().optional(),
  preserve_host: z.boolean().optional(),
  protocols: z.array(protocol).optional(),
  plugins: z.array(plugin).optional(),
});

const service = z.strictObject({
  name: z.string().min(1),
  url: z.url(),
  connect_timeout: timeout.optional(),
  read_timeout: timeout.optional(),
  write_timeout: timeout.optional(),
  retries: z.number().int().min(0).max(32_767).optional(),
  routes: z.array(route).min(1),
  plugins: z.array(plugin).optional(),
});

const declarativeConfig = z.strictObject({
  _format_version: z.literal('3.0'),
  _transform: z.boolean().optional(),
  services: z.array(service).min(1),
});

describe('deploy/kong/kong.yml', () => {
  const parsed = declarativeConfig.safeParse(repositoryYaml('deploy/kong/kong.yml'));

  it("matches Kong's documented declarative schema for services, routes and the two plugins", () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('routes the API to the platform on its port, with rate and request-size limits, and no plugin touching the API key', () => {
    const [platform] = parsed.data?.services ?? [];
    // why: the upstream is the kustomize base's (and the chart's default release's) API Service.
    const service = repositoryYaml('deploy/kubernetes/base/api-service.yaml') as {
      metadata: { name: string };
      spec: { ports: Array<{ port: number }> };
    };
    const upstream = new URL(platform?.url ?? 'http://invalid');
    expect(upstream.hostname).toBe(`${service.metadata.name}.kimi-platform.svc.cluster.local`);
    expect(upstream.port || '80').toBe(String(service.spec.ports[0]?.port));
    const paths = platform?.routes.flatMap((each) => each.paths) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['/v1', '/graphql']));
    expect(paths).not.toContain('/metrics');
    // why: only these two plugins exist anywhere, so none can strip Authorization or x-api-key.
    const plugins = [
      ...(platform?.plugins ?? []),
      ...(platform?.routes.flatMap((each) => each.plugins ?? []) ?? []),
    ];
    expect(plugins.map((each) => each.name).sort()).toEqual(['rate-limiting', 'request-size-limiting']);
    expect(platform?.routes.every((each) => each.strip_path === false)).toBe(true);
  });
});
