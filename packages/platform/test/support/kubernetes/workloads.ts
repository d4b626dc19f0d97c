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
  /** Values path holding `nodeSelector` and `tolerations` (e.g. the AKS node pools' label and taint). */
  schedulingPath?: string;
  restartPolicy?: string;
  /** False for the migrations hook: it runs before Helm creates the ConfigMap, and needs none. */
  configFile: boolean;
}

const withoutConfig = <Item extends { name: string }>(items: Item[], configFile: boolean) =>
  configFile ? items : items.filter((item) => item.name !== 'config');

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
      ...(options.schedulingPath
        ? {
            nodeSelector: slots.block(`${options.schedulingPath}.nodeSelector`),
            tolerations: slots.block(`${options.schedulingPath}.tolerations`),
          }
        : {}),
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
          volumeMounts: withoutConfig(volumeMounts(slots), options.configFile),
        },
      ],
      volumes: withoutConfig(podVolumes(slots), options.configFile),
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

/** An object named after the release (plus `suffix`), carrying the platform labels. */
export function resource(
  slots: Slots,
  header: { apiVersion: string; kind: string; suffix?: string; component?: string },
  body: Record<string, unknown>,
  annotations?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    apiVersion: header.apiVersion,
    kind: header.kind,
    metadata: {
      name: slots.name(header.suffix),
      labels: labels(slots, header.component),
      ...(annotations ? { annotations } : {}),
    },
    ...body,
  };
}

/** A Deployment of one component: replicas from values, selected by its stable labels. */
export function deployment(slots: Slots, component: string, template: Record<string, unknown>) {
  return resource(
    slots,
    { apiVersion: 'apps/v1', kind: 'Deployment', suffix: component, component },
    {
      spec: {
        replicas: slots.value(`${component}.replicas`),
        selector: { matchLabels: selectorLabels(slots, component) },
        template,
      },
    },
  );
}

/** An autoscaling/v2 HPA of one component's Deployment, its range from `<component>.autoscaling`. */
export function autoscaler(slots: Slots, component: string, metric: Record<string, unknown>) {
  return resource(
    slots,
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', suffix: component, component },
    {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: slots.name(component) },
        minReplicas: slots.value(`${component}.autoscaling.minReplicas`),
        maxReplicas: slots.value(`${component}.autoscaling.maxReplicas`),
        metrics: [metric],
      },
    },
  );
}
