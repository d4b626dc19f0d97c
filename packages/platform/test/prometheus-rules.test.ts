import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployDirectory, runTool } from './support/prometheus-tools.ts';
import { prometheusAvailable } from './support/services.ts';

interface RuleGroups {
  groups: Array<{
    name: string;
    rules: Array<{ alert?: string; record?: string; labels?: Record<string, string> }>;
  }>;
}

interface RuleTests {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
}

const alertRulesFile = 'prometheus/rules/kimi-alerts.rules.yml';
const recordingRulesFile = 'prometheus/rules/kimi-recording.rules.yml';
const ruleTestsFile = 'prometheus/tests/kimi-alerts.test.yml';
const alertmanagerFile = 'alertmanager/alertmanager.yml';

async function readYaml<Shape>(path: string): Promise<Shape> {
  return parse(await readFile(join(deployDirectory, path), 'utf8')) as Shape;
}

async function alertsOf(): Promise<Array<{ alert: string; severity: string | undefined }>> {
  const rules = await readYaml<RuleGroups>(alertRulesFile);
  return rules.groups.flatMap((group) =>
    group.rules.flatMap((rule) =>
      rule.alert ? [{ alert: rule.alert, severity: rule.labels?.severity }] : [],
    ),
  );
}

describe('alert rules, on paper', () => {
  it('gives every alert a priority P0 to P3, and has the alerts the issue names', async () => {
    const alerts = await alertsOf();
    for (const { alert, severity } of alerts)
      expect([alert, severity]).toEqual([alert, expect.stringMatching(/^P[0-3]$/)]);
    const names = alerts.map((entry) => entry.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'KimiServiceDown',
        'KimiDatabaseUnavailable',
        'KimiHighErrorRate',
        'KimiHighLatencyP95',
        'KimiCacheDegraded',
        'KimiCostAnomaly',
        'KimiBudgetNearExhaustion',
      ]),
    );
    expect(new Set(alerts.map((entry) => entry.severity))).toEqual(new Set(['P0', 'P1', 'P2', 'P3']));
  });

  it('has a unit test in which every alert fires, and one in which it does not', async () => {
    const tests = await readYaml<RuleTests>(ruleTestsFile);
    const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
    for (const { alert } of await alertsOf()) {
      const own = cases.filter((testCase) => testCase.alertname === alert);
      expect({ alert, fires: own.some((testCase) => testCase.exp_alerts.length > 0) }).toEqual({
        alert,
        fires: true,
      });
      expect({ alert, quiet: own.some((testCase) => testCase.exp_alerts.length === 0) }).toEqual({
        alert,
        quiet: true,
      });
    }
  });
});

describe.runIf(prometheusAvailable())('rules and configurations, checked by promtool and amtool', () => {
  it('promtool accepts the rule files and the scrape configuration', async () => {
    const rules = await runTool('promtool', ['check', 'rules', recordingRulesFile, alertRulesFile]);
    expect(rules.output).toContain('SUCCESS: 20 rules found');
    expect(rules.code, rules.output).toBe(0);
    const config = await runTool('promtool', ['check', 'config', 'prometheus/prometheus.yml']);
    expect(config.code, config.output).toBe(0);
  });

  it('passes every promtool unit test of the alerts', async () => {
    const outcome = await runTool('promtool', ['test', 'rules', ruleTestsFile]);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.output).toContain('SUCCESS');
  });

  it('fails those unit tests when an alert threshold is wrong', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kimi-rules-'));
    try {
      await mkdir(join(directory, 'rules'));
      await mkdir(join(directory, 'tests'));
      const alerts = await readFile(join(deployDirectory, alertRulesFile), 'utf8');
      const loosened = alerts.replace(') > 0.05', ') > 0.5');
      expect(loosened).not.toBe(alerts);
      await writeFile(join(directory, 'rules/kimi-alerts.rules.yml'), loosened);
      await copyFile(
        join(deployDirectory, recordingRulesFile),
        join(directory, 'rules/kimi-recording.rules.yml'),
      );
      await copyFile(join(deployDirectory, ruleTestsFile), join(directory, 'tests/kimi-alerts.test.yml'));
      const outcome = await runTool('promtool', [
        'test',
        'rules',
        join(directory, 'tests/kimi-alerts.test.yml'),
      ]);
      expect(outcome.code).not.toBe(0);
      expect(outcome.output).toContain('alertname: KimiHighErrorRate');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('amtool accepts the Alertmanager configuration', async () => {
    const outcome = await runTool('amtool', ['check-config', alertmanagerFile]);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.output).toContain('SUCCESS');
  });

  it.each([
    ['P0', 'pagerduty'],
    ['P1', 'slack'],
    ['P2', 'email'],
    ['P3', 'nowhere'],
  ])('routes a %s alert to %s', async (severity, receiver) => {
    const outcome = await runTool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${alertmanagerFile}`,
      `--verify.receivers=${receiver}`,
      `severity=${severity}`,
      'alertname=KimiAnything',
    ]);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.stdout.trim()).toBe(receiver);
  });
});
