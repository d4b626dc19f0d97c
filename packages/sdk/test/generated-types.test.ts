import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedPath, generateOpenApiTypes } from '../scripts/generate-openapi-types.ts';

describe('src/generated/openapi.ts', () => {
  it('is what openapi-typescript makes of docs/openapi.json now (run `npm run generate -w @kimi/sdk`)', async () => {
    const committed = await readFile(generatedPath, 'utf8');
    const fresh = await generateOpenApiTypes();
    expect(committed).toBe(fresh);
    expect(fresh).toContain('ApiKeyWithSecret');
  });
});
