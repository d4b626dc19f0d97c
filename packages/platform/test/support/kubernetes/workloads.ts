import type { Slots } from './template-slots.ts';

/** Where the image keeps the platform (the other deploy files build exactly this layout). */
export const imageEntrypoint = ['node', 'packages/platform/dist/main.js'];
export const configMountPath = '/etc/kimi';
export const dataDirectory = '/var/lib/kimi';

/** The labels every object carries; `component` tells API, worker and migrations apart. */
export function labels(slots: Slots, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kimi-platform',
    'app.kubernetes.io/instance': slots.name(),
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
  };
}

function secretReference(slots: Slots, name: string, key: string, optional: boolean) {
  return { name, valueFrom: { secretKeyRef: { name: slots.value('secrets.name'), key, optional } } };
}

/** The environment all three workloads share: secrets by reference, config file, data directory. */
export function platformEnvironment(slots: Slots, providerKeys: Record<string, string>) {
  return [
    { name: 'HOST', value: '0.0.0.0' },
    { name: 'LOG_LEVEL', value: slots.value('logLevel') },
    { name: 'KIMI_CONFIG', value: `${configMountPath}/kimi.config.yaml` },
    { name: 'KIMI_DATA_DIR', value: dataDirectory },
    secretReference(slots, 'DATABASE_URL', slots.text('secrets.keys.databaseUrl'), false),
    secretReference(slots, 'REDIS_URL', slots.text('secrets.keys.redisUrl'), false),
    secretReference(slots, 'KIMI_MASTER_KEY', slots.text('secrets.keys.masterKey'), false),
    secretReference(slots, 'KIMI_ADMIN_KEY', slots.text('secrets.keys.adminKey'), true),
    ...Object.keys(providerKeys).map((variable) =>
      secretReference(slots, variable, slots.text(`secrets.providerKeys.${variable}`), true),
    ),
  ];
}

/** Non-root, read-only root filesystem, no privilege escalation, every capability dropped. */
export const containerSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const podSecurityContext = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 };

/** The writable places a read-only root filesystem needs, plus the config and (optionally) the vault. */
export function podVolumes(slots: Slots) {
  return [
    { name: 'config', configMap: { name: slots.name('config') } },
    { name: 'data', emptyDir: {} },
    { name: 'tmp', emptyDir: {} },
    ...slots.when('secretsStore.enabled', [
      {
        name: 'secrets-store',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: slots.name('key-vault') },
        },
      },
    ]),
  ];
}

export function volumeMounts(slots: Slots) {
  return [
    { name: 'config', mountPath: configMountPath, readOnly: true },
    { name: 'data', mountPath: dataDirectory },
    { name: 'tmp', mountPath: '/tmp' },
    ...slots.when('secretsStore.enabled', [
      { name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true },
    ]),
  ];
}

interface PodOptions {
  component: string;
  args: string[];
  environment: Array<Record<string, unknown>>;
  ports: Array<Record<string, unknown>>;
  probes: Record<string, unknown>;
  resourcesPath?: string;
  restartPolicy?: string;
}

/** A pod template running the platform image with `args`, hardened and spread across zones and nodes. */
export function podTemplate(slots: Slots, options: PodOptions) {
  const spread = (topologyKey: string) => ({
    maxSkew: slots.value('topologySpread.maxSkew'),
    topologyKey,
    whenUnsatisfiable: slots.value('topologySpread.whenUnsatisfiable'),
    labelSelector: { matchLabels: selectorLabels(slots, options.component) },
  });
  return {
    metadata: { labels: labels(slots, options.component) },
    spec: {
      ...(options.restartPolicy ? { restartPolicy: options.restartPolicy } : {}),
      automountServiceAccountToken: false,
      securityContext: podSecurityContext,
      terminationGracePeriodSeconds: 30,
      ...(options.restartPolicy
        ? {}
        : {
            topologySpreadConstraints: [
              spread('topology.kubernetes.io/zone'),
              spread('kubernetes.io/hostname'),
            ],
          }),
      containers: [
        {
          name: options.component,
          image: `${slots.value('image.repository')}:${slots.value('image.tag')}`,
          imagePullPolicy: slots.value('image.pullPolicy'),
          command: imageEntrypoint,
          args: options.args,
          env: options.environment,
          ...(options.ports.length > 0 ? { ports: options.ports } : {}),
          ...options.probes,
          ...(options.resourcesPath ? { resources: slots.block(options.resourcesPath) } : {}),
          securityContext: containerSecurityContext,
          volumeMounts: volumeMounts(slots),
        },
      ],
      volumes: podVolumes(slots),
    },
  };
}

/** The labels a selector matches: stable across upgrades (no version in them). */
export function selectorLabels(slots: Slots, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kimi-platform',
    'app.kubernetes.io/instance': slots.name(),
    'app.kubernetes.io/component': component,
  };
}
