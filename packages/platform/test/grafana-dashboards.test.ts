import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics } from '../src/telemetry/index.ts';
import {
  allDashboards,
  committedDashboards,
  dashboardFileName,
  serializeDashboard,
} from './support/dashboards/dashboard-files.ts';
import { deployDirectory } from './support/prometheus-tools.ts';

interface ProvisionedDatasources {
  apiVersion: number;
  datasources: Array<{ uid: string; type: string; url: string }>;
}

interface ProvisionedDashboards {
  apiVersion: number;
  providers: Array<{ type: string; options: { path: string } }>;
}

interface DashboardFile {
  uid: unknown;
  title: unknown;
  schemaVersion: unknown;
  panels: Array<{
    id: unknown;
    type: unknown;
    title: unknown;
    datasource: { uid: unknown };
    gridPos: { x: number; y: number; w: number; h: number };
    targets: Array<{ refId: unknown; expr: unknown; datasource: { uid: unknown } }>;
  }>;
}

const panelTypes = ['timeseries', 'stat', 'gauge', 'bargauge', 'table'];

async function provisionedDatasourceUid(): Promise<string> {
  const file = parse(
    await readFile(join(deployDirectory, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
  ) as ProvisionedDatasources;
  expect(file.apiVersion).toBe(1);
  expect(file.datasources).toHaveLength(1);
  expect(file.datasources[0]?.type).toBe('prometheus');
  return file.datasources[0]!.uid;
}

describe('Grafana dashboards (deploy/grafana)', () => {
  it('are the ten the seed names, committed exactly as generated (npm run dashboards)', async () => {
    expect(allDashboards.map((dashboard) => dashboard.title.replace('Kimi Platform / ', ''))).toEqual([
      'System overview',
      'API performance',
      'Errors',
      'User activity',
      'SLA compliance',
      'Agent swarms',
      'LLM provider status',
      'Cost analytics',
      'Database',
      'Cache efficiency',
    ]);
    const committed = await committedDashboards();
    expect([...committed.keys()].sort()).toEqual(allDashboards.map(dashboardFileName).sort());
    for (const dashboard of allDashboards) {
      expect(committed.get(dashboardFileName(dashboard)), `${dashboardFileName(dashboard)} is stale`).toBe(
        serializeDashboard(dashboard),
      );
    }
  });

  it('have the structure Grafana file provisioning loads, on the provisioned data source', async () => {
    const datasourceUid = await provisionedDatasourceUid();
    const uids = new Set<unknown>();
    for (const [name, text] of await committedDashboards()) {
      const file = JSON.parse(text) as DashboardFile;
      expect(typeof file.uid === 'string' && /^[a-z0-9-]{1,40}$/.test(file.uid), name).toBe(true);
      expect(uids.has(file.uid), `${name}: uid repeated`).toBe(false);
      uids.add(file.uid);
      expect(typeof file.title === 'string' && file.title.length > 0, name).toBe(true);
      expect(typeof file.schemaVersion === 'number' && file.schemaVersion >= 36, name).toBe(true);
      expect(file.panels.length, name).toBeGreaterThan(0);
      const panelIds = new Set<unknown>();
      const cells = new Set<string>();
      for (const panel of file.panels) {
        const where = `${name} / ${String(panel.title)}`;
        expect(Number.isInteger(panel.id) && !panelIds.has(panel.id), where).toBe(true);
        panelIds.add(panel.id);
        expect(panelTypes, where).toContain(panel.type);
        expect(panel.datasource.uid, where).toBe(datasourceUid);
        const { x, y, w, h } = panel.gridPos;
        expect(
          [x, y, w, h].every(Number.isInteger) && x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24,
          where,
        ).toBe(true);
        for (let column = x; column < x + w; column += 1) {
          for (let row = y; row < y + h; row += 1) {
            expect(cells.has(`${column},${row}`), `${where} overlaps another panel`).toBe(false);
            cells.add(`${column},${row}`);
          }
        }
        expect(panel.targets.length, where).toBeGreaterThan(0);
        const refIds = new Set<unknown>();
        for (const target of panel.targets) {
          expect(typeof target.expr === 'string' && target.expr.length > 0, where).toBe(true);
          expect(target.datasource.uid, where).toBe(datasourceUid);
          expect(refIds.has(target.refId), `${where}: refId repeated`).toBe(false);
          refIds.add(target.refId);
        }
      }
    }
  });

  it('group by no per-request, per-user or per-key label', () => {
    const forbidden = /\b(organization|organisation|user|key|api_key|request_id|end_user)\b/;
    for (const dashboard of allDashboards) {
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          const groupings = [...target.expr.matchAll(/by \(([^)]*)\)/g)].map((match) => match[1] ?? '');
          for (const grouping of groupings)
            expect(grouping, `${dashboard.title} / ${panel.title}`).not.toMatch(forbidden);
        }
      }
    }
  });

  it('are loaded by the provisioned dashboard provider from one folder', async () => {
    const file = parse(
      await readFile(join(deployDirectory, 'grafana/provisioning/dashboards/kimi-platform.yml'), 'utf8'),
    ) as ProvisionedDashboards;
    expect(file.apiVersion).toBe(1);
    expect(file.providers).toEqual([
      expect.objectContaining({
        type: 'file',
        options: expect.objectContaining({ path: expect.any(String) }),
      }),
    ]);
  });
});

describe('metric names the dashboards and rules use', () => {
  it('are all registered by the platform or recorded by the recording rules', async () => {
    const registry = createMetrics({ defaultMetrics: true }).registry;
    const registered = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
    const recordingRules = await readFile(
      join(deployDirectory, 'prometheus/rules/kimi-recording.rules.yml'),
      'utf8',
    );
    const recorded = new Set([...recordingRules.matchAll(/record: (\S+)/g)].map((match) => match[1]));
    const alertRules = await readFile(
      join(deployDirectory, 'prometheus/rules/kimi-alerts.rules.yml'),
      'utf8',
    );
    const expressions = [
      ...allDashboards.flatMap((dashboard) =>
        dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
      ),
      recordingRules,
      alertRules,
    ];
    const unknown = new Set<string>();
    for (const expression of expressions) {
      for (const [name] of expression.matchAll(/\bkimi(?::[a-z0-9_]+)+|\bkimi_[a-z0-9_]+/g)) {
        const base = name.replace(/_(bucket|count|sum)$/, '');
        if (!registered.has(base) && !registered.has(name) && !recorded.has(name)) unknown.add(name);
      }
    }
    expect([...unknown]).toEqual([]);
  });
});
