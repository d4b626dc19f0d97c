import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFilePath, readConfigFile, resolveCredentials, saveProfile } from './profile-store.ts';

let directory: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kimi-cli-'));
  environment = { KIMI_CONFIG_DIR: join(directory, 'config') };
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('profile store', () => {
  it('writes the file 0600 in a 0700 directory, and reads it back', async () => {
    const path = await saveProfile(environment, 'staging', {
      base_url: 'http://127.0.0.1:9000',
      api_key: 'sk-kimi-secret',
      organization_id: 'org_1',
    });
    expect(path).toBe(configFilePath(environment));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'config'))).mode & 0o777).toBe(0o700);
    const config = await readConfigFile(environment);
    expect(config.current_profile).toBe('staging');
    expect(config.profiles.staging?.api_key).toBe('sk-kimi-secret');
  });

  it('uses $XDG_CONFIG_HOME/kimi, then ~/.config/kimi, without KIMI_CONFIG_DIR', () => {
    expect(configFilePath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/kimi/config.json');
    expect(configFilePath({ HOME: '/home/ada' })).toBe('/home/ada/.config/kimi/config.json');
  });

  it('resolves flags over the environment over the profile', async () => {
    await saveProfile(environment, 'default', { base_url: 'http://profile:1', api_key: 'sk-profile' });
    expect(await resolveCredentials(environment, {})).toMatchObject({
      baseUrl: 'http://profile:1',
      apiKey: 'sk-profile',
      apiKeySource: 'profile',
    });
    const withEnvironment = { ...environment, KIMI_API_KEY: 'sk-env', KIMI_BASE_URL: 'http://env:2' };
    expect(await resolveCredentials(withEnvironment, {})).toMatchObject({
      baseUrl: 'http://env:2',
      apiKey: 'sk-env',
      apiKeySource: 'environment',
    });
    expect(
      await resolveCredentials(withEnvironment, { apiKey: 'sk-flag', baseUrl: 'http://flag:3' }),
    ).toMatchObject({ baseUrl: 'http://flag:3', apiKey: 'sk-flag', apiKeySource: 'flag' });
  });

  it('refuses an unknown --profile and a malformed file with a coded usage error', async () => {
    await expect(resolveCredentials(environment, { profile: 'nope' })).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      exitCode: 2,
    });
    await saveProfile(environment, 'default', { base_url: 'http://x:1', api_key: 'k' });
    await writeFile(configFilePath(environment), '{"profiles": {"a": {"base_url": "not a url"}}}');
    await expect(readConfigFile(environment)).rejects.toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(await readFile(configFilePath(environment), 'utf8')).toContain('not a url');
  });
});
