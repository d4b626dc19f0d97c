import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import {
  composeServices,
  repositoryRoot,
  repositoryText,
  repositoryYaml,
} from './support/deploy/deploy-files.ts';

/*
 * The image contract the Helm chart and the kustomize manifests rely on: this image name, WORKDIR /app,
 * `node packages/platform/dist/main.js` with `serve`, `worker` or `migrate`, port 8080, uid 10001,
 * a HEALTHCHECK on /healthz. Checked with dockerfile-ast, the parser of the Docker language server.
 */
const contractCommand = ['node', 'packages/platform/dist/main.js'];

function dockerfile() {
  return DockerfileParser.parse(repositoryText('Dockerfile'));
}

/** The arguments of a JSON-form (exec-form) instruction: `CMD ["a", "b"]` gives `["a", "b"]`. */
function jsonArguments(instruction: { getRawArgumentsContent(): string | null } | undefined): string[] {
  return JSON.parse(instruction?.getRawArgumentsContent() ?? 'null') as string[];
}

describe('Dockerfile', () => {
  it('builds in one stage and runs on a slim Node 20 image, as the non-root uid 10001', () => {
    const parsed = dockerfile();
    const froms = parsed.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.getImageName()).toBe('node');
    for (const from of froms) expect(from.getImageTag()).toMatch(/^20\.\d+.*-slim$/);
    const instructions = parsed.getInstructions();
    const runtimeStart = instructions.indexOf(froms[froms.length - 1] as (typeof instructions)[number]);
    const runtime = instructions.slice(runtimeStart);
    const users = runtime.filter((instruction) => instruction.getKeyword() === 'USER');
    expect(users.at(-1)?.getArgumentsContent()).toBe('10001:10001');
    expect(runtime.find((instruction) => instruction.getKeyword() === 'WORKDIR')?.getArgumentsContent()).toBe(
      '/app',
    );
    expect(runtime.find((instruction) => instruction.getKeyword() === 'EXPOSE')?.getArgumentsContent()).toBe(
      '8080',
    );
    const build = instructions.slice(0, runtimeStart).map((instruction) => instruction.getArgumentsContent());
    expect(build).toContain('npm run build');
    const installs = instructions
      .filter((instruction) => instruction.getKeyword() === 'RUN')
      .map((instruction) => instruction.getArgumentsContent() ?? '');
    expect(installs.some((command) => command.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('runs the contract command, serve by default, and checks /healthz', () => {
    const parsed = dockerfile();
    expect(jsonArguments(parsed.getENTRYPOINTs().at(-1))).toEqual(contractCommand);
    expect(jsonArguments(parsed.getCMDs().at(-1))).toEqual(['serve']);
    const healthcheck = parsed.getHEALTHCHECKs().at(-1);
    expect(healthcheck?.getSubcommand()?.getValue()).toBe('CMD');
    expect(healthcheck?.getRawArgumentsContent()).toContain('/healthz');
  });

  it('leaves dependencies, builds and secrets out of the build context', () => {
    const ignored = repositoryText('.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '.git', '.env', '**/*.tfvars']) {
      expect(ignored).toContain(pattern);
    }
  });
});

describe('deploy/compose.yaml', () => {
  const services = composeServices();

  it('has two API replicas, a worker, migrations once, and the data and observability services', () => {
    expect(Object.keys(services).sort()).toEqual([
      'alertmanager',
      'api',
      'grafana',
      'jaeger',
      'migrate',
      'otel-collector',
      'postgres',
      'prometheus',
      'redis',
      'worker',
    ]);
    expect(services.api?.deploy?.replicas).toBe(2);
    expect(services.postgres?.image).toMatch(/^pgvector\/pgvector:/);
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.migrate?.command).toEqual(['migrate']);
    expect(services.api?.command).toEqual(['serve']);
    expect(services.worker?.command).toEqual(['worker']);
    expect(services.api?.environment?.KIMI_SWARM_WORKER).toBe('0');
    expect(services.worker?.environment?.KIMI_WORKER_METRICS_PORT).toBe('9464');
  });

  it('runs the platform image read-only, writing only to a tmpfs', () => {
    for (const name of ['migrate', 'api', 'worker']) {
      const service = services[name];
      expect(service?.image).toMatch(/^ghcr\.io\/kimi-platform\/kimi-platform:/);
      expect(service?.read_only).toBe(true);
      expect(service?.tmpfs).toContain('/tmp');
      expect(service?.environment?.KIMI_DATA_DIR).toMatch(/^\/tmp\//);
    }
  });

  it('mounts only files and folders that exist, and the collector forwards traces to Jaeger', () => {
    const mounts = Object.values(services).flatMap((service) => service.volumes ?? []);
    const bound = mounts.filter((mount) => mount.startsWith('./'));
    expect(bound.length).toBeGreaterThanOrEqual(6);
    for (const mount of bound) {
      expect(existsSync(join(repositoryRoot, 'deploy', mount.split(':')[0] ?? '')), mount).toBe(true);
    }
    const collector = repositoryYaml('deploy/compose/otel-collector.yaml') as {
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { exporters: string[] } } };
    };
    const exporter = collector.service.pipelines.traces.exporters[0] ?? '';
    expect(collector.exporters[exporter]?.endpoint).toBe('jaeger:4317');
    expect(services.api?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
  });
});

describe('pipelines', () => {
  it('the GitHub workflow passes action-validator (the SchemaStore workflow schema)', () => {
    const result = validateWorkflow(repositoryText('.github/workflows/ci.yml')) as { errors: unknown[] };
    expect(result.errors).toEqual([]);
  });

  it('both pipelines run .ci/run, helm lint, push the image and commit its tag for ArgoCD', () => {
    for (const path of ['.github/workflows/ci.yml', 'azure-pipelines.yml']) {
      const text = repositoryText(path);
      expect(text, path).toContain('bash .ci/run');
      expect(text, path).toContain('helm lint deploy/helm/kimi-platform');
      expect(text, path).toContain('terraform validate');
      expect(text, path).toContain('deploy/argocd/image-tag.yaml');
    }
    const azure = repositoryYaml('azure-pipelines.yml') as { stages: Array<{ stage: string }> };
    expect(azure.stages.map((stage) => stage.stage)).toEqual(['test', 'image', 'deploy']);
  });

  it('the ArgoCD Application deploys the Helm chart with the tag the pipelines write', () => {
    const application = repositoryYaml('deploy/argocd/kimi-platform.application.yaml') as {
      apiVersion: string;
      kind: string;
      spec: { source: { path: string; helm: { valueFiles: string[] } } };
    };
    expect(application.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(application.kind).toBe('Application');
    expect(application.spec.source.path).toBe('deploy/helm/kimi-platform');
    const chart = join(repositoryRoot, application.spec.source.path);
    for (const file of application.spec.source.helm.valueFiles) {
      expect(existsSync(join(chart, file)) || !existsSync(chart), file).toBe(true);
    }
    const tag = repositoryYaml('deploy/argocd/image-tag.yaml') as { image: { tag: string } };
    expect(tag.image.tag).toMatch(/\S/);
  });
});
