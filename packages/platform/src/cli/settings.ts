import { resolve } from 'node:path';
import {
  applyVectorEnvironment,
  type ConfigFile,
  type Environment,
  loadConfig,
  parseEnvironment,
} from '../config/index.ts';

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
  // why here: QDRANT_URL and QDRANT_API_KEY override the file's vectors.qdrant, which is read at start-up only.
  const withVectors = { ...config, vectors: applyVectorEnvironment(config.vectors, environment) };
  return {
    environment,
    config: withVectors,
    configPath: path,
    dataDirectory: resolve(environment.KIMI_DATA_DIR),
  };
}
