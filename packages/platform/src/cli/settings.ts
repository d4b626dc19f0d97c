import { resolve } from 'node:path';
import { type ConfigFile, type Environment, loadConfig, parseEnvironment } from '../config/index.ts';

export interface Settings {
  environment: Environment;
  config: ConfigFile;
  configPath: string | null;
  dataDirectory: string;
}

/** Reads env and the config file; throws an Error naming the bad variable or field. */
export async function loadSettings(
  source: Record<string, string | undefined> = process.env,
): Promise<Settings> {
  const environment = parseEnvironment(source);
  const { config, path } = await loadConfig({
    ...(environment.KIMI_CONFIG ? { path: environment.KIMI_CONFIG } : {}),
    explicit: environment.KIMI_CONFIG !== undefined,
  });
  return { environment, config, configPath: path, dataDirectory: resolve(environment.KIMI_DATA_DIR) };
}
