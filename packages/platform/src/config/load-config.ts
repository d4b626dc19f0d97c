import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type ConfigFile, configFileSchema } from './config-file-schema.ts';
import { formatZodIssues } from './format-zod-issues.ts';

export interface LoadedConfig {
  config: ConfigFile;
  /** The file that was read, or null when none exists and defaults apply. */
  path: string | null;
}

/**
 * Reads and validates the config file. A missing default file means defaults; a missing file the
 * user named, unparsable YAML or an invalid field is an Error whose message names the problem.
 */
export async function loadConfig(options: { path?: string; explicit: boolean }): Promise<LoadedConfig> {
  const path = options.path ?? 'kimi.config.yaml';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.explicit) {
      return { config: configFileSchema.parse({}), path: null };
    }
    throw new Error(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  return { config: parseConfigText(text, path), path };
}

/** Validates config text; exported so tests and hot reload share it. */
export function parseConfigText(text: string, path = 'kimi.config.yaml'): ConfigFile {
  let document: unknown;
  try {
    document = parse(text) ?? {};
  } catch (error) {
    throw new Error(`Invalid config file ${path}: YAML syntax error: ${(error as Error).message}`);
  }
  const result = configFileSchema.safeParse(document);
  if (!result.success) {
    throw new Error(`Invalid config file ${path}: ${formatZodIssues(result.error)}`);
  }
  return result.data;
}
