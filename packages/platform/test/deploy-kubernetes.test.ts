import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  chartDirectory,
  chartValues,
  generatedFiles,
  prometheusRulesDirectory,
} from './support/kubernetes/kubernetes-files.ts';
import { type Manifest, renderOverlay } from './support/kubernetes/rendered-manifests.ts';
import { ruleFiles } from './support/kubernetes/support-objects.ts';
import { valuesSchema } from './support/kubernetes/values-schema.ts';
import { kubectlAvailable } from './support/services.ts';

const repositoryRoot = join(chartDirectory, '../../..');

/** The kubernetes-models class for a built-in kind (its validate() holds the upstream JSON schema). */
async function modelFor(manifest: Manifest): Promise<{ validate(): void } | undefined> {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : [undefined, manifest.apiVersion];
  const builtIn = ['apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', undefined];
  if (!builtIn.includes(group)) return undefined;
  const module = (await import(
    /* @vite-ignore */ `kubernetes-models/${group ? `${group}/` : ''}${version}/${manifest.kind}`
  )) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[manifest.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${manifest.apiVersion} ${manifest.kind}`);
  return new Model(manifest);
}

/** Structural checks of the custom resources no schema package ships for this Node version. */
function checkCustomResource(manifest: Manifest): void {
  const spec = manifest.spec ?? {};
  switch (manifest.kind) {
    case 'ServiceMonitor':
      expect(manifest.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(spec.selector).toMatchObject({ matchLabels: expect.any(Object) });
      expect(spec.endpoints).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/metrics' })]));
      break;
    case 'PrometheusRule':
      expect(manifest.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(Array.isArray(spec.groups) && spec.groups.length > 0).toBe(true);
      break;
    case 'ScaledObject':
      expect(manifest.apiVersion).toBe('keda.sh/v1alpha1');
      expect(spec.scaleTargetRef).toEqual({ name: 'kimi-platform-worker' });
      expect(spec.triggers).toEqual([
        expect.objectContaining({
          type: 'prometheus',
          metadata: expect.objectContaining({ query: expect.any(String) }),
        }),
      ]);
      break;
    case 'SecretProviderClass': {
      expect(manifest.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
      expect(spec.provider).toBe('azure');
      const parameters = spec.parameters as Record<string, string>;
      expect(parse(parameters.objects ?? '')).toEqual({
        array: expect.arrayContaining([expect.any(String)]),
      });
      expect(spec.secretObjects).toEqual([
        expect.objectContaining({ secretName: 'kimi-platform-secrets', data: expect.any(Array) }),
      ]);
      break;
    }
    default:
      throw new Error(`unexpected custom resource ${manifest.apiVersion} ${manifest.kind}`);
  }
}

describe('the Helm chart and the kustomize base', () => {
  it('are committed exactly as generated from one source (npm run kubernetes)', async () => {
    for (const [path, text] of await generatedFiles()) {
      expect(await readFile(join(repositoryRoot, path), 'utf8'), `${path} is stale: npm run kubernetes`).toBe(
        text,
      );
    }
  });

  it('write template actions that open and close in pairs, each value path present in values.yaml', async () => {
    const values = JSON.stringify(await chartValues());
    for (const [path, text] of await generatedFiles()) {
      if (!path.includes('/templates/')) continue;
      const actions = [...text.matchAll(/\{\{-? (.*?) -?\}\}/g)].map((match) => match[1] ?? '');
      expect(text.split('{{').length, path).toBe(actions.length + 1);
      const opened = actions.filter((action) => /^(if|range) /.test(action)).length;
      expect(actions.filter((action) => action === 'end').length, path).toBe(opened);
      for (const [, valuePath] of text.matchAll(/\.Values\.([\w.]+)/g)) {
        const last = valuePath?.split('.').at(-1) ?? '';
        expect(values, `${path}: .Values.${valuePath}`).toContain(`"${last}":`);
      }
    }
  });

  it('ship the same alert and recording rules as deploy/prometheus/rules', async () => {
    for (const ruleFile of ruleFiles) {
      const shipped = await readFile(join(chartDirectory, 'files/rules', ruleFile), 'utf8');
      expect(shipped).toBe(await readFile(join(prometheusRulesDirectory, ruleFile), 'utf8'));
    }
  });
});

describe('values.schema.json', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(valuesSchema);

  it('accepts the default values.yaml', async () => {
    expect(validate(await chartValues()), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts values-azure.yaml over the defaults, which pins the pods to the Terraform node pools', async () => {
    const values = await chartValues();
    const azure = parse(await readFile(join(chartDirectory, 'values-azure.yaml'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    const merged: Record<string, unknown> = { ...values };
    for (const [key, override] of Object.entries(azure)) {
      merged[key] = { ...(values[key] as Record<string, unknown>), ...override };
    }
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    const terraform = await readFile(join(chartDirectory, '../../terraform/azure/aks.tf'), 'utf8');
    expect(terraform).toContain('node_labels           = { "kimi-platform/pool" = "app" }');
    expect(terraform).toContain('node_taints           = ["kimi-platform/pool=worker:NoSchedule"]');
    expect(azure.worker?.nodeSelector).toEqual({ 'kimi-platform/pool': 'worker' });
    expect(azure.worker?.tolerations).toEqual([
      { key: 'kimi-platform/pool', operator: 'Equal', value: 'worker', effect: 'NoSchedule' },
    ]);
    expect(azure.api?.nodeSelector).toEqual({ 'kimi-platform/pool': 'app' });
  });

  it('rejects a misspelt key, a wrong type and an unknown log level, naming each', async () => {
    const values = await chartValues();
    const api = values.api as Record<string, unknown>;
    const bad = { ...values, logLevel: 'loud', api: { ...api, replicas: 'two', replica: 3 } };
    expect(validate(bad)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('\n');
    expect(paths).toContain('/logLevel');
    expect(paths).toContain('/api/replicas must be integer');
    expect(paths).toContain('must NOT have additional properties');
  });
});

const kubectl = kubectlAvailable();

describe.runIf(kubectl).each(['dev', 'prod'])('kubectl kustomize overlays/%s', (overlay) => {
  let manifests: Manifest[] = [];
  beforeAll(() => {
    manifests = renderOverlay(overlay);
  });

  it('renders every object the platform needs, each valid against the Kubernetes schemas', async () => {
    const kinds = manifests.map((manifest) => manifest.kind).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ConfigMap',
        'Deployment',
        'Ingress',
        'Job',
        'NetworkPolicy',
        'PodDisruptionBudget',
      ]),
    );
    expect(kinds.filter((kind) => kind === 'PrometheusRule')).toHaveLength(ruleFiles.length);
    for (const manifest of manifests) {
      const model = await modelFor(manifest);
      if (model) expect(() => model.validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
      else if (manifest.apiVersion !== 'v1') checkCustomResource(manifest);
    }
    const namespaces = new Set(manifests.map((manifest) => manifest.metadata.namespace));
    expect([...namespaces]).toEqual([`kimi-${overlay}`]);
  }, 60_000);

  it('mounts the Key Vault CSI volume into every workload in prod only, naming its SecretProviderClass', () => {
    const providerClass = manifests.find((manifest) => manifest.kind === 'SecretProviderClass');
    expect(Boolean(providerClass)).toBe(overlay === 'prod');
    for (const manifest of manifests.filter((candidate) => ['Deployment', 'Job'].includes(candidate.kind))) {
      const pod = (manifest.spec as { template: { spec: { volumes: Array<Record<string, unknown>> } } })
        .template.spec;
      const csi = pod.volumes.find((volume) => volume.name === 'secrets-store');
      if (overlay === 'dev') expect(csi).toBeUndefined();
      else
        expect(csi).toMatchObject({
          csi: { volumeAttributes: { secretProviderClass: providerClass?.metadata.name } },
        });
    }
  });

  it('scales workers on queue depth: an external-metric HPA in dev, a KEDA ScaledObject in prod', () => {
    const scalers = manifests.filter((manifest) => manifest.metadata.name === 'kimi-platform-worker');
    const kinds = scalers.map((manifest) => manifest.kind).sort();
    expect(kinds).toEqual(
      overlay === 'prod' ? ['Deployment', 'ScaledObject'] : ['Deployment', 'HorizontalPodAutoscaler'],
    );
  });
});

describe.runIf(kubectl)('the built-in kinds validate with kubernetes-models', () => {
  it('and a broken Deployment fails that validation (the check can fail)', async () => {
    const deployment = renderOverlay('dev').find((manifest) => manifest.kind === 'Deployment');
    if (!deployment) throw new Error('no Deployment rendered');
    const broken = structuredClone(deployment) as Manifest & { spec: { replicas: unknown } };
    broken.spec.replicas = 'many';
    const model = await modelFor(broken);
    expect(() => model?.validate()).toThrow(/replicas/);
  }, 60_000);
});
