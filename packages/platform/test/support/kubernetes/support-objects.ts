import { parse } from 'yaml';
import type { PlatformObject } from './platform-objects.ts';
import type { Slots } from './template-slots.ts';
import { resource } from './workloads.ts';

/** An object rendered where the boolean at `flag` is true. */
function enabledWith(
  flag: string,
  file: string,
  header: { apiVersion: string; kind: string; suffix?: string },
  body: (slots: Slots) => Record<string, unknown>,
  annotations?: (slots: Slots) => Record<string, unknown>,
): PlatformObject {
  return {
    file,
    condition: { path: flag, equals: true },
    build: (slots) => resource(slots, header, body(slots), annotations?.(slots)),
  };
}

/** The alert and recording rule files, shipped in the chart and equal to deploy/prometheus/rules. */
export const ruleFiles = ['kimi-alerts.rules.yml', 'kimi-recording.rules.yml'] as const;

function keyVaultObjects(slots: Slots): Record<string, string> {
  return slots.computed(slots.block('secretsStore.objects') as Record<string, string>, () => '');
}

/** The Azure provider's `objects` parameter: a YAML document listing the vault's secrets. */
function vaultObjects(objects: Record<string, string>): string {
  const entries = Object.keys(objects).map(
    (name) => `  - |\n    objectName: ${name}\n    objectType: secret\n`,
  );
  return `array:\n${entries.join('')}`;
}

/** Azure Key Vault through the Secrets Store CSI driver, synced into the Secret the pods read. */
export const secretsStoreObject = enabledWith(
  'secretsStore.enabled',
  'secret-provider-class.yaml',
  { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', suffix: 'key-vault' },
  (slots) => ({
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: slots.value('secretsStore.clientId'),
        keyvaultName: slots.value('secretsStore.keyVaultName'),
        tenantId: slots.value('secretsStore.tenantId'),
        objects: slots.computed(vaultObjects(keyVaultObjects(slots)), (indent) => {
          const pad = ' '.repeat(indent + 2);
          return ` |\n${pad}array:\n{{- range $name, $key := .Values.secretsStore.objects }}\n${pad}  - |\n${pad}    objectName: {{ $name }}\n${pad}    objectType: secret\n{{- end }}`;
        }),
      },
      secretObjects: [
        {
          secretName: slots.value('secrets.name'),
          type: 'Opaque',
          data: slots.computed(
            Object.entries(keyVaultObjects(slots)).map(([objectName, key]) => ({ objectName, key })),
            (indent) => {
              const pad = ' '.repeat(indent);
              return `\n{{- range $name, $key := .Values.secretsStore.objects }}\n${pad}- objectName: {{ $name }}\n${pad}  key: {{ $key }}\n{{- end }}`;
            },
          ),
        },
      ],
    },
  }),
  // Why: a hook before the migrations Job, the first pod to mount it (which makes the driver sync the Secret).
  () => ({
    'helm.sh/hook': 'pre-install,pre-upgrade',
    'helm.sh/hook-weight': '-10',
    'helm.sh/hook-delete-policy': 'before-hook-creation',
  }),
);

const networkPolicy = enabledWith(
  'networkPolicy.enabled',
  'networkpolicy.yaml',
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  (slots) => ({
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': slots.name() } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          // Why: only the ingress controller and Prometheus reach the API port; workers take no traffic.
          from: [
            {
              namespaceSelector: {
                matchExpressions: [
                  {
                    key: 'kubernetes.io/metadata.name',
                    operator: 'In',
                    values: slots.block('networkPolicy.ingressNamespaces'),
                  },
                ],
              },
            },
          ],
          ports: [
            { protocol: 'TCP', port: 'http' },
            { protocol: 'TCP', port: 'metrics' },
          ],
        },
      ],
    },
  }),
);

const ingress = enabledWith(
  'ingress.enabled',
  'ingress.yaml',
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  (slots) => ({
    spec: {
      ingressClassName: slots.value('ingress.className'),
      tls: [{ hosts: [slots.value('ingress.host')], secretName: slots.value('ingress.tlsSecretName') }],
      rules: [
        {
          host: slots.value('ingress.host'),
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: slots.name('api'), port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  }),
  (slots) => slots.block('ingress.annotations'),
);

const serviceMonitor = enabledWith(
  'serviceMonitor.enabled',
  'servicemonitor.yaml',
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' },
  (slots) => ({
    spec: {
      // Why: the rules select job="kimi-platform", the value of this label on both Services.
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: { 'app.kubernetes.io/instance': slots.name() } },
      endpoints: [
        { port: 'http', path: '/metrics', interval: slots.value('serviceMonitor.interval') },
        { port: 'metrics', path: '/metrics', interval: slots.value('serviceMonitor.interval') },
      ],
    },
  }),
);

const prometheusRules = ruleFiles.map((ruleFile) => {
  const name = ruleFile.replace('.rules.yml', '');
  const header = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', suffix: name };
  return enabledWith('prometheusRule.enabled', `prometheusrule-${name}.yaml`, header, (slots) => ({
    spec: slots.computed(
      parse(slots.file(`files/rules/${ruleFile}`)) as Record<string, unknown>,
      (indent) => `\n{{ .Files.Get "files/rules/${ruleFile}" | indent ${indent + 2} }}`,
    ),
  }));
});

/** Ingress, NetworkPolicy and the Prometheus Operator objects. */
export const monitoringObjects: PlatformObject[] = [
  networkPolicy,
  ingress,
  serviceMonitor,
  ...prometheusRules,
];
