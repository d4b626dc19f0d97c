import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ConfigFile } from './config-file-schema.ts';
import { parseConfigText } from './load-config.ts';

export interface ConfigWatcher {
  close(): void;
}

/**
 * Watches the config file and hands each valid new version to `onChange`. The directory is
 * watched, not the file, so editors that save by writing a new file and renaming it are seen.
 * An invalid file is reported through `onInvalid` and the running config stays.
 */
export function watchConfigFile(options: {
  path: string;
  debounceMs?: number;
  onChange: (config: ConfigFile) => void | Promise<void>;
  onInvalid: (message: string) => void;
}): ConfigWatcher {
  const path = resolve(options.path);
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let lastText: string | undefined;
  let closed = false;

  const reload = async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      options.onInvalid(
        `Cannot read config file ${path}: ${(error as Error).message}; keeping the running config.`,
      );
      return;
    }
    if (text === lastText || closed) return;
    let config: ConfigFile;
    try {
      config = parseConfigText(text, path);
    } catch (error) {
      options.onInvalid(`${(error as Error).message}; keeping the running config.`);
      return;
    }
    lastText = text;
    await options.onChange(config);
  };

  void readFile(path, 'utf8')
    .then((text) => {
      lastText = text;
    })
    .catch(() => {});

  const watcher: FSWatcher = watch(dirname(path), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), options.debounceMs ?? 150);
  });
  watcher.unref();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
