import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLoadConfig, driveDashboardLoad, type StatusCounts } from './support/dashboard-load.ts';
import { allDashboards } from './support/dashboards/dashboard-files.ts';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  prometheusAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
} from './support/services.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

/*
 * Every panel query of every dashboard, evaluated by a real Prometheus that scraped a real
 * platform (PostgreSQL + Redis, listening on loopback) under a short bounded load. A query that
 * errors or returns no series is a panel that would show "No data" on a working platform.
 */
const available = prometheusAvailable() && (await postgresAvailable()) && (await redisAvailable());

/** Grafana's variables, as Grafana would substitute them for this scrape: all instances, a 5-minute window. */
function substituteVariables(expression: string): string {
  return expression.replaceAll('$__rate_interval', '5m').replaceAll('$instance', '.*');
}

describe.runIf(available)('dashboards against a real Prometheus scraping a real platform', () => {
  let temporaryDatabase: TemporaryDatabase;
  let testApp: TestApp;
  let prometheus: PrometheusServer;
  let statuses: Record<string, StatusCounts>;

  beforeAll(async () => {
    temporaryDatabase = await createTemporaryDatabase();
    testApp = await startTestApp({
      databaseUrl: temporaryDatabase.url,
      redisUrl: testRedisUrl,
      redisPrefix: `kimi-dashboards-${process.pid}-${Date.now()}:`,
      config: dashboardLoadConfig,
      listen: true,
      processMetrics: true,
    });
    prometheus = await startPrometheus(new URL(testApp.baseUrl).host);
    await prometheus.waitForScrapes(2, 30_000);
    // why twice: a labelled counter appears on its first increment, and rate() counts only what a
    // series gains after its first sample; the first round creates every series, the second moves them.
    await driveDashboardLoad(testApp);
    await prometheus.waitForScrapes(2, 30_000);
    statuses = await driveDashboardLoad(testApp);
    // why: the gauges and counters the load moved must be scraped, and the recording rules run on them.
    await prometheus.waitForScrapes(3, 30_000);
  }, 240_000);

  afterAll(async () => {
    await prometheus?.stop();
    await testApp?.close();
    await temporaryDatabase?.drop();
  });

  it('drove every feature the panels show', () => {
    expect(statuses).toMatchObject({
      budget: { 201: 1 },
      chat: { 200: 6 },
      cached: { 200: 6 },
      stream: { 200: 6 },
      embeddings: { 200: 1 },
      'not-found': { 404: 1 },
      unauthenticated: { 401: 1 },
      'rate-limited': { 200: 1, 429: 1 },
      swarm: { 202: 1 },
      swarmRun: { completed: 1 },
      knowledge: { ready: 1 },
      ready: { 200: 1 },
    });
    expect(Object.keys(statuses['provider-error'] ?? {}).every((status) => status.startsWith('5'))).toBe(
      true,
    );
  });

  it('answers every panel query of every dashboard with at least one series', async () => {
    const failures: string[] = [];
    let queries = 0;
    for (const dashboard of allDashboards) {
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          queries += 1;
          const expression = substituteVariables(target.expr);
          const answer = await prometheus.query(expression);
          if (answer.status !== 'success') {
            failures.push(`${dashboard.title} / ${panel.title}: error ${answer.error}\n  ${expression}`);
          } else if ((answer.data?.result.length ?? 0) === 0) {
            failures.push(`${dashboard.title} / ${panel.title}: no series\n  ${expression}`);
          }
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(queries).toBeGreaterThan(60);
    // The check can fail: a name no panel should use has no series.
    const misspelt = await prometheus.query(
      substituteVariables(allDashboards[0]!.panels[0]!.targets[0]!.expr.replace('up', 'upp')),
    );
    expect(misspelt.data?.result).toEqual([]);
  });

  it('shows what the load did: errors, cache hits, refusals, savings, swarm runs, documents', async () => {
    const shown = async (dashboardTitle: string, panelTitle: string): Promise<number> => {
      const panel = allDashboards
        .find((dashboard) => dashboard.title.endsWith(dashboardTitle))
        ?.panels.find((candidate) => candidate.title === panelTitle);
      if (!panel) throw new Error(`no panel ${dashboardTitle} / ${panelTitle}`);
      const answer = await prometheus.query(`sum(${substituteVariables(panel.targets[0]!.expr)})`);
      return Number(answer.data?.result[0]?.value[1] ?? Number.NaN);
    };
    expect(await shown('Errors', '5xx ratio')).toBeGreaterThan(0);
    expect(await shown('Errors', 'Refusals by reason')).toBeGreaterThan(0);
    expect(await shown('Cache efficiency', 'Hit ratio')).toBeGreaterThan(0);
    expect(await shown('Cost analytics', 'Cache savings in the last 24 hours')).toBeGreaterThan(0);
    expect(await shown('Cost analytics', 'Budget utilisation')).toBeGreaterThan(0);
    expect(await shown('Agent swarms', 'Runs ended by status')).toBeGreaterThan(0);
    expect(await shown('Agent swarms', 'Steps by kind and outcome')).toBeGreaterThan(0);
    expect(await shown('User activity', 'Documents ingested')).toBeGreaterThan(0);
    const availability = await shown('SLA compliance', 'Availability (30 days)');
    expect(availability).toBeGreaterThan(0);
    expect(availability).toBeLessThan(1);
  });

  it('raises no alert on the working platform, apart from the errors the load provoked on purpose', async () => {
    const answer = await prometheus.query('ALERTS{alertstate="firing"}');
    expect(answer.status).toBe('success');
    const firing = (answer.data?.result ?? []).map((series) => series.metric.alertname);
    expect(
      firing.filter((name) => !['KimiHighErrorRate', 'KimiAvailabilityBudgetFastBurn'].includes(name ?? '')),
    ).toEqual([]);
  });
});
