import { stringify } from 'yaml';
import type { PlatformObject } from './platform-objects.ts';
import { baseReleaseName, defaultSlots, type Values } from './template-slots.ts';
import { podVolumes, volumeMounts } from './workloads.ts';

const serialize = (object: unknown) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });

/** A copy of `values` with the boolean at the dotted `path` set to true. */
function enabled(values: Values, path: string): Values {
  const [head, ...rest] = path.split('.');
  if (!head) return values;
  if (rest.length === 0) return { ...values, [head]: true };
  return { ...values, [head]: enabled(values[head] as Values, rest.join('.')) };
}

function built(objects: PlatformObject[], file: string, values: Values): Record<string, unknown> {
  const object = objects.find((candidate) => candidate.file === file);
  if (!object) throw new Error(`no object is written to ${file}`);
  return object.build(defaultSlots(values, () => ''));
}

const component = (resources: string[], patches: unknown[]) => ({
  apiVersion: 'kustomize.config.k8s.io/v1alpha1',
  kind: 'Component',
  resources,
  patches,
});

/** The workloads whose pods mount the vault: everything that reads the Secret. */
const workloads = [
  { kind: 'Deployment', name: `${baseReleaseName}-api` },
  { kind: 'Deployment', name: `${baseReleaseName}-worker` },
  { kind: 'Job', name: `${baseReleaseName}-migrations` },
];

/**
 * The chart's options as kustomize components, built from the same objects with the option on:
 * `keda` (a ScaledObject instead of the worker HPA; both would fight over the replica count) and
 * `azure-key-vault` (the SecretProviderClass, and its CSI volume mounted into every workload, which
 * is what makes the driver sync the Secret).
 */
export function componentFiles(
  objects: PlatformObject[],
  values: Values,
  header: string,
): Map<string, string> {
  const files = new Map<string, string>();
  const write = (path: string, object: unknown) =>
    files.set(`deploy/kubernetes/components/${path}`, `${header}${serialize(object)}`);

  write(
    'keda/worker-scaledobject.yaml',
    built(objects, 'worker-scaledobject.yaml', enabled(values, 'worker.keda.enabled')),
  );
  write(
    'keda/kustomization.yaml',
    component(
      ['worker-scaledobject.yaml'],
      [
        {
          target: {
            group: 'autoscaling',
            kind: 'HorizontalPodAutoscaler',
            name: `${baseReleaseName}-worker`,
          },
          patch: serialize({
            $patch: 'delete',
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: { name: `${baseReleaseName}-worker` },
          }),
        },
      ],
    ),
  );

  const vaultValues = enabled(values, 'secretsStore.enabled');
  const vaultSlots = defaultSlots(vaultValues, () => '');
  const volume = podVolumes(vaultSlots).find((candidate) => candidate.name === 'secrets-store');
  const mount = volumeMounts(vaultSlots).find((candidate) => candidate.name === 'secrets-store');
  write(
    'azure-key-vault/secret-provider-class.yaml',
    built(objects, 'secret-provider-class.yaml', vaultValues),
  );
  write(
    'azure-key-vault/kustomization.yaml',
    component(
      ['secret-provider-class.yaml'],
      workloads.map((target) => ({
        target,
        patch: serialize([
          { op: 'add', path: '/spec/template/spec/volumes/-', value: volume },
          { op: 'add', path: '/spec/template/spec/containers/0/volumeMounts/-', value: mount },
        ]),
      })),
    ),
  );
  return files;
}
