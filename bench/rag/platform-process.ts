import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnvironment, startNode, stopProcess, waitForOutput } from '../support/child-processes.ts';
import { assertListensOnLoopbackOnly } from '../support/loopback-check.ts';
import { buildPlatform } from '../targets/platform.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const adminKey = `sk-kimi-bench-${'r'.repeat(40)}`;

export interface EmbeddedPlatform {
  origin: string;
  /** A developer key of a fresh organisation (knowledge bases need `knowledge:write`). */
  secret: string;
  stop(): Promise<void>;
}

async function admin<Answer>(origin: string, path: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Answer;
}

/**
 * `npm start`'s platform — compiled, on the embedded defaults (PGlite, simulated models) in a
 * temporary data directory — on 127.0.0.1, with an organisation (no plan, so no quota caps the
 * run) and a developer key.
 */
export async function startEmbeddedPlatform(): Promise<EmbeddedPlatform> {
  await buildPlatform();
  const directory = await mkdtemp(join(tmpdir(), 'kimi-bench-rag-'));
  const started = startNode(
    'platform',
    ['--enable-source-maps', join(repositoryRoot, 'packages/platform/dist/main.js'), 'serve'],
    {
      ...baseEnvironment(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KIMI_DATA_DIR: directory,
      KIMI_ADMIN_KEY: adminKey,
    },
    { cwd: repositoryRoot },
  );
  const match = await waitForOutput(started, /listening on http:\/\/127\.0\.0\.1:(\d+)/, 120_000);
  const port = Number(match[1]);
  assertListensOnLoopbackOnly('platform', port);
  const origin = `http://127.0.0.1:${port}`;
  const organization = await admin<{ id: string }>(origin, '/v1/admin/organizations', {
    name: 'rag benchmark',
    plan: null,
  });
  const key = await admin<{ secret: string }>(origin, `/v1/admin/organizations/${organization.id}/keys`, {
    name: 'rag benchmark',
    role: 'developer',
  });
  return {
    origin,
    secret: key.secret,
    async stop() {
      await stopProcess(started, 15_000);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
