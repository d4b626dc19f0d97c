import { monitoringObjects, secretsStoreObject } from './support-objects.ts';
import type { Slots, Values } from './template-slots.ts';
import {
  autoscaler,
  deployment,
  platformEnvironment,
  podTemplate,
  resource,
  selectorLabels,
} from './workloads.ts';

/** Rendered only where the boolean at `path` equals `equals`. */
export interface Condition {
  path: string;
  equals: boolean;
}

/** One object of the chart: its template file name, when it renders, and how it is built. */
export interface PlatformObject {
  file: string;
  condition?: Condition;
  build(slots: Slots): Record<string, unknown>;
}

const httpProbe = (path: string, port: string, periodSeconds: number) => ({
  httpGet: { path, port },
  periodSeconds,
  timeoutSeconds: 5,
  failureThreshold: 3,
});

/** The hook annotations that run the migrations Job before install and upgrade, replacing the last one. */
export const migrationHookAnnotations = {
  'helm.sh/hook': 'pre-install,pre-upgrade',
  'helm.sh/hook-weight': '-5',
  'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
};

/** Every object of the platform, in the order the chart's templates folder lists them. */
export function platformObjects(values: Values): PlatformObject[] {
  const providerKeys = (values.secrets as { providerKeys: Record<string, string> }).providerKeys;
  const environment = (slots: Slots) => platformEnvironment(slots, providerKeys);
  return [
    {
      file: 'configmap.yaml',
      build: (slots) =>
        resource(
          slots,
          { apiVersion: 'v1', kind: 'ConfigMap', suffix: 'config' },
          { data: { 'kimi.config.yaml': slots.file('files/kimi.config.yaml') } },
        ),
    },
    {
      file: 'migrations-job.yaml',
      build: (slots) =>
        resource(
          slots,
          { apiVersion: 'batch/v1', kind: 'Job', suffix: 'migrations', component: 'migrations' },
          {
            spec: {
              backoffLimit: slots.value('migrations.backoffLimit'),
              activeDeadlineSeconds: slots.value('migrations.activeDeadlineSeconds'),
              template: podTemplate(slots, {
                component: 'migrations',
                args: ['migrate'],
                environment: environment(slots).filter((variable) => variable.name !== 'KIMI_CONFIG'),
                ports: [],
                probes: {},
                restartPolicy: 'Never',
                configFile: false,
              }),
            },
          },
          migrationHookAnnotations,
        ),
    },
    {
      file: 'api-deployment.yaml',
      build: (slots) =>
        deployment(
          slots,
          'api',
          podTemplate(slots, {
            component: 'api',
            args: ['serve'],
            environment: [
              { name: 'PORT', value: slots.text('api.port') },
              // Why: swarm runs and batch lines belong to the worker Deployment, scaled on queue depth.
              { name: 'KIMI_SWARM_WORKER', value: '0' },
              ...environment(slots),
            ],
            ports: [{ name: 'http', containerPort: slots.value('api.port'), protocol: 'TCP' }],
            probes: {
              startupProbe: { ...httpProbe('/healthz', 'http', 5), failureThreshold: 30 },
              livenessProbe: httpProbe('/healthz', 'http', 10),
              readinessProbe: httpProbe('/readyz', 'http', 5),
            },
            resourcesPath: 'api.resources',
            schedulingPath: 'api',
            configFile: true,
          }),
        ),
    },
    {
      file: 'api-service.yaml',
      build: (slots) =>
        resource(
          slots,
          { apiVersion: 'v1', kind: 'Service', suffix: 'api', component: 'api' },
          {
            spec: {
              type: slots.value('service.type'),
              selector: selectorLabels(slots, 'api'),
              ports: [
                { name: 'http', port: slots.value('service.port'), targetPort: 'http', protocol: 'TCP' },
              ],
            },
          },
        ),
    },
    {
      file: 'api-hpa.yaml',
      build: (slots) =>
        autoscaler(slots, 'api', {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: slots.value('api.autoscaling.targetCPUUtilizationPercentage'),
            },
          },
        }),
    },
    {
      file: 'api-pdb.yaml',
      build: (slots) =>
        resource(
          slots,
          { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', suffix: 'api', component: 'api' },
          {
            spec: {
              minAvailable: slots.value('api.podDisruptionBudget.minAvailable'),
              selector: { matchLabels: selectorLabels(slots, 'api') },
            },
          },
        ),
    },
    {
      file: 'worker-deployment.yaml',
      build: (slots) =>
        deployment(
          slots,
          'worker',
          podTemplate(slots, {
            component: 'worker',
            args: ['worker'],
            environment: [
              { name: 'KIMI_WORKER_METRICS_PORT', value: slots.text('worker.metricsPort') },
              ...environment(slots),
            ],
            ports: [{ name: 'metrics', containerPort: slots.value('worker.metricsPort'), protocol: 'TCP' }],
            // Why: /metrics is the worker's only HTTP endpoint; it answers while the process is alive.
            probes: { livenessProbe: httpProbe('/metrics', 'metrics', 15) },
            resourcesPath: 'worker.resources',
            schedulingPath: 'worker',
            configFile: true,
          }),
        ),
    },
    {
      file: 'worker-service.yaml',
      build: (slots) =>
        resource(
          slots,
          { apiVersion: 'v1', kind: 'Service', suffix: 'worker-metrics', component: 'worker' },
          {
            spec: {
              clusterIP: 'None',
              selector: selectorLabels(slots, 'worker'),
              ports: [{ name: 'metrics', port: slots.value('worker.metricsPort'), targetPort: 'metrics' }],
            },
          },
        ),
    },
    {
      file: 'worker-hpa.yaml',
      condition: { path: 'worker.keda.enabled', equals: false },
      build: (slots) =>
        autoscaler(slots, 'worker', {
          type: 'External',
          external: {
            metric: {
              name: slots.value('worker.autoscaling.externalMetric'),
              selector: { matchLabels: { state: 'waiting' } },
            },
            target: {
              type: 'AverageValue',
              averageValue: slots.text('worker.autoscaling.waitingJobsPerWorker'),
            },
          },
        }),
    },
    {
      file: 'worker-scaledobject.yaml',
      condition: { path: 'worker.keda.enabled', equals: true },
      build: (slots) =>
        resource(
          slots,
          { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', suffix: 'worker', component: 'worker' },
          {
            spec: {
              scaleTargetRef: { name: slots.name('worker') },
              minReplicaCount: slots.value('worker.autoscaling.minReplicas'),
              maxReplicaCount: slots.value('worker.autoscaling.maxReplicas'),
              triggers: [
                {
                  type: 'prometheus',
                  metadata: {
                    serverAddress: slots.value('worker.keda.prometheusAddress'),
                    query: slots.value('worker.keda.query'),
                    threshold: slots.text('worker.autoscaling.waitingJobsPerWorker'),
                  },
                },
              ],
            },
          },
        ),
    },
    secretsStoreObject,
    ...monitoringObjects,
  ];
}
