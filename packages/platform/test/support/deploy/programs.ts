import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first `name` on PATH, or /usr/bin/`name` (to name in the notice) when there is none. */
function onPath(name: string): string {
  const directories = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return (
    directories.map((directory) => join(directory, name)).find((path) => existsSync(path)) ??
    `/usr/bin/${name}`
  );
}

/** Terraform's binary; only `terraform fmt` runs here, which needs no provider and no network. */
export const terraformPath = process.env.TERRAFORM_PATH ?? onPath('terraform');

/**
 * True when Terraform is installed; throws when it is not and KIMI_REQUIRE_SERVICES=1, and
 * otherwise skips loudly, as the other program-backed suites do.
 */
export function terraformAvailable(): boolean {
  if (existsSync(terraformPath)) return true;
  const message = `${terraformPath} is not installed`;
  if (process.env.KIMI_REQUIRE_SERVICES === '1') {
    throw new Error(`${message}, and KIMI_REQUIRE_SERVICES=1 makes that a failure.`);
  }
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING TERRAFORM SUITES: ${message}.\n!! Install Terraform, or set TERRAFORM_PATH.\n${'!'.repeat(78)}\n`,
  );
  return false;
}
