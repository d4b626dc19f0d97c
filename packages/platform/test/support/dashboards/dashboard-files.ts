import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dashboard } from './grafana-model.ts';
import { platformDashboards } from './platform-dashboards.ts';
import { serviceDashboards } from './service-dashboards.ts';

/** Where the provisioned dashboards are committed (Grafana's file provider reads this folder). */
export const dashboardDirectory = fileURLToPath(
  new URL('../../../../../deploy/grafana/dashboards', import.meta.url),
);

/** The ten dashboards, in the order the docs list them. */
export const allDashboards: readonly Dashboard[] = [...platformDashboards, ...serviceDashboards];

/** A dashboard's file name: its uid, which stays stable when the title changes. */
export function dashboardFileName(dashboard: Dashboard): string {
  return `${dashboard.uid}.json`;
}

/** A dashboard as committed: two-space JSON with a final newline. */
export function serializeDashboard(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

/** Every committed dashboard file, by name. */
export async function committedDashboards(): Promise<Map<string, string>> {
  const names = (await readdir(dashboardDirectory)).filter((name) => name.endsWith('.json'));
  const entries = await Promise.all(
    names.map(async (name) => [name, await readFile(join(dashboardDirectory, name), 'utf8')] as const),
  );
  return new Map(entries);
}

// `npm run dashboards` writes the files.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await mkdir(dashboardDirectory, { recursive: true });
  for (const dashboard of allDashboards) {
    await writeFile(join(dashboardDirectory, dashboardFileName(dashboard)), serializeDashboard(dashboard));
  }
  console.log(`wrote ${allDashboards.length} dashboards to ${dashboardDirectory}`);
}
