/** JSON Schema builders for values.schema.json: every object is closed, so a misspelt key fails. */
const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
const text = { type: 'string', minLength: 1 };
const count = (minimum: number) => ({ type: 'integer', minimum });
const quantity = {
  anyOf: [{ type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G)?$' }, { type: 'number' }],
};
const resources = object(
  {
    requests: object({ cpu: quantity, memory: quantity }, []),
    limits: object({ cpu: quantity, memory: quantity }, []),
  },
  [],
);
const secretKeyMap = { type: 'object', additionalProperties: text };
const nodeSelector = { type: 'object', additionalProperties: { type: 'string' } };
const tolerations = {
  type: 'array',
  items: object(
    {
      key: { type: 'string' },
      operator: { enum: ['Equal', 'Exists'] },
      value: { type: 'string' },
      effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
      tolerationSeconds: count(0),
    },
    [],
  ),
};

/** The schema Helm checks values against on install, upgrade, lint and template. */
export const valuesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'kimi-platform chart values',
  ...object({
    image: object({
      repository: text,
      tag: text,
      pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    }),
    secrets: object({
      name: text,
      keys: object({ masterKey: text, databaseUrl: text, redisUrl: text, adminKey: text }),
      providerKeys: { ...secretKeyMap, propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$' } },
    }),
    secretsStore: object({
      enabled: { type: 'boolean' },
      keyVaultName: text,
      tenantId: text,
      clientId: text,
      objects: secretKeyMap,
    }),
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    api: object({
      replicas: count(1),
      port: { type: 'integer', minimum: 1024, maximum: 65535 },
      resources,
      autoscaling: object({
        minReplicas: count(1),
        maxReplicas: count(1),
        targetCPUUtilizationPercentage: { type: 'integer', minimum: 1, maximum: 100 },
      }),
      podDisruptionBudget: object({
        minAvailable: { anyOf: [count(0), { type: 'string', pattern: '^[0-9]+%$' }] },
      }),
      nodeSelector,
      tolerations,
    }),
    worker: object({
      replicas: count(0),
      metricsPort: { type: 'integer', minimum: 1024, maximum: 65535 },
      resources,
      autoscaling: object({
        minReplicas: count(0),
        maxReplicas: count(1),
        externalMetric: text,
        waitingJobsPerWorker: count(1),
      }),
      keda: object({
        enabled: { type: 'boolean' },
        prometheusAddress: { type: 'string', pattern: '^https?://' },
        query: text,
      }),
      nodeSelector,
      tolerations,
    }),
    migrations: object({ backoffLimit: count(0), activeDeadlineSeconds: count(1) }),
    service: object({ type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, port: count(1) }),
    ingress: object({
      enabled: { type: 'boolean' },
      className: text,
      host: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
      tlsSecretName: text,
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    networkPolicy: object({
      enabled: { type: 'boolean' },
      ingressNamespaces: { type: 'array', items: text },
    }),
    serviceMonitor: object({
      enabled: { type: 'boolean' },
      interval: { type: 'string', pattern: '^[0-9]+(s|m)$' },
    }),
    prometheusRule: object({ enabled: { type: 'boolean' } }),
    topologySpread: object({
      maxSkew: count(1),
      whenUnsatisfiable: { enum: ['ScheduleAnyway', 'DoNotSchedule'] },
    }),
    config: { type: 'string' },
  }),
};
