import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, repositoryText } from './support/deploy/deploy-files.ts';
import { terraformAvailable, terraformPath } from './support/deploy/programs.ts';

/*
 * deploy/terraform/azure, checked offline: `terraform fmt -check` with the real binary, and the
 * structure of the HCL parsed by @cdktf/hcl2json (HashiCorp's own hcl2 parser compiled to WASM).
 * `terraform validate` and `plan` need the azurerm provider downloaded; docs/deployment.md says so.
 */
const directory = 'deploy/terraform/azure';
const files = readdirSync(join(repositoryRoot, directory)).filter((name) => name.endsWith('.tf'));

interface Configuration {
  resource?: Record<string, Record<string, Array<Record<string, unknown>>>>;
  variable?: Record<string, Array<{ description?: string; type?: string }>>;
  output?: Record<string, Array<{ description?: string; value?: string }>>;
}

async function parseAll(): Promise<{ merged: Required<Configuration>; sources: string }> {
  const merged: Required<Configuration> = { resource: {}, variable: {}, output: {} };
  let sources = '';
  for (const file of files) {
    const text = repositoryText(`${directory}/${file}`);
    sources += text;
    const parsed = (await parse(file, text)) as Configuration;
    for (const [type, named] of Object.entries(parsed.resource ?? {})) {
      merged.resource[type] = { ...merged.resource[type], ...named };
    }
    Object.assign(merged.variable, parsed.variable ?? {});
    Object.assign(merged.output, parsed.output ?? {});
  }
  return { merged, sources };
}

const configuration = await parseAll();

describe('deploy/terraform/azure', () => {
  it.runIf(terraformAvailable())('is formatted (terraform fmt -check -recursive)', () => {
    const result = spawnSync(terraformPath, ['fmt', '-check', '-recursive', '-diff'], {
      cwd: join(repositoryRoot, directory),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('has AKS, PostgreSQL with pgvector allowed, Redis, Key Vault, Log Analytics and a private network', () => {
    const { resource } = configuration.merged;
    for (const type of [
      'azurerm_kubernetes_cluster',
      'azurerm_kubernetes_cluster_node_pool',
      'azurerm_postgresql_flexible_server',
      'azurerm_postgresql_flexible_server_configuration',
      'azurerm_redis_cache',
      'azurerm_key_vault',
      'azurerm_log_analytics_workspace',
      'azurerm_virtual_network',
      'azurerm_subnet',
      'azurerm_private_dns_zone',
      'azurerm_private_endpoint',
    ]) {
      expect(Object.keys(resource[type] ?? {}), type).not.toHaveLength(0);
    }
    const extensions = resource.azurerm_postgresql_flexible_server_configuration?.extensions?.[0];
    expect(extensions?.name).toBe('azure.extensions');
    expect(String(extensions?.value).split(',')).toContain('VECTOR');
    const server = resource.azurerm_postgresql_flexible_server?.main?.[0];
    expect(server?.public_network_access_enabled).toBe(false);
    expect(resource.azurerm_redis_cache?.main?.[0]?.non_ssl_port_enabled).toBe(false);
  });

  it('has system, app and worker node pools whose autoscaling ranges are variables', () => {
    const { resource, variable } = configuration.merged;
    const cluster = resource.azurerm_kubernetes_cluster?.main?.[0] as {
      default_node_pool: Array<Record<string, unknown>>;
    };
    const pools = [
      cluster.default_node_pool[0] ?? {},
      ...Object.values(resource.azurerm_kubernetes_cluster_node_pool ?? {}).map((each) => each[0] ?? {}),
    ];
    expect(pools.map((pool) => pool.name)).toEqual(['system', 'app', 'worker']);
    for (const pool of pools) {
      expect(pool.auto_scaling_enabled).toBe(true);
      expect(pool.min_count).toBe(`\${var.${pool.name}_node_pool.min_count}`);
      expect(pool.max_count).toBe(`\${var.${pool.name}_node_pool.max_count}`);
      expect(variable[`${pool.name}_node_pool`]).toBeDefined();
    }
  });

  it('refers only to resources it declares', () => {
    const { resource } = configuration.merged;
    const references = [...configuration.sources.matchAll(/(?<![.\w"])((?:azurerm|random)_\w+)\.(\w+)/g)];
    expect(references.length).toBeGreaterThan(20);
    const dangling = references
      .map(([, type = '', name = '']) => `${type}.${name}`)
      .filter((reference) => {
        const [type = '', name = ''] = reference.split('.');
        return resource[type]?.[name] === undefined;
      });
    expect(dangling).toEqual([]);
  });

  it('declares every variable it uses and every variable the example tfvars sets, and describes them and the outputs', () => {
    const { variable, output } = configuration.merged;
    const used = new Set(
      [...configuration.sources.matchAll(/\bvar\.([a-z_][a-z0-9_]*)/g)].map((match) => match[1]),
    );
    expect([...used].filter((name) => name !== undefined && !(name in variable))).toEqual([]);
    const example = [
      ...repositoryText(`${directory}/terraform.tfvars.example`).matchAll(/^([a-z_][a-z0-9_]*)\s*=/gm),
    ];
    expect(example.length).toBeGreaterThan(5);
    expect(
      example.map((match) => match[1]).filter((name) => name !== undefined && !(name in variable)),
    ).toEqual([]);
    for (const [name, [declaration]] of Object.entries(variable))
      expect(declaration?.description, name).toBeTruthy();
    for (const name of ['aks_cluster_name', 'key_vault_name', 'database_url', 'redis_url', 'postgres_fqdn']) {
      expect(output[name]?.[0]?.description, name).toBeTruthy();
    }
  });
});
