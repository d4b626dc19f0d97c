import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root, where the Dockerfile, azure-pipelines.yml and deploy/ live. */
export const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** A file of the repository as text. */
export function repositoryText(path: string): string {
  return readFileSync(`${repositoryRoot}${path}`, 'utf8');
}

/** A YAML file of the repository, parsed with `<<` merge keys resolved as Compose does. */
export function repositoryYaml(path: string): unknown {
  return parse(repositoryText(path), { merge: true });
}

/** One service of deploy/compose.yaml, as far as the platform's checks read it. */
export interface ComposeService {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  deploy?: { replicas?: number };
  read_only?: boolean;
  tmpfs?: string[];
  ports?: string[];
}

/** The services of deploy/compose.yaml. */
export function composeServices(): Record<string, ComposeService> {
  return (repositoryYaml('deploy/compose.yaml') as { services: Record<string, ComposeService> }).services;
}

/**
 * Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}` interpolation, from `variables`;
 * a required variable that is missing throws, as `docker compose` refuses to start.
 */
export function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_whole, name: string, kind, rest) => {
    const set = variables[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '-') return rest ?? '';
    if (kind === '?') throw new Error(`${name}: ${rest}`);
    return '';
  });
}
