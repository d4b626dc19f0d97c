/**
 * Writes src/generated/openapi.ts: the TypeScript types of docs/openapi.json (the platform's
 * OpenAPI 3.1 document), made with openapi-typescript. Run: npm run generate -w @kimi/sdk.
 * A test fails when the committed file differs from a fresh generation.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const documentPath = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
export const generatedPath = fileURLToPath(new URL('../src/generated/openapi.ts', import.meta.url));

const banner =
  '/**\n * Generated from docs/openapi.json by `npm run generate -w @kimi/sdk` (openapi-typescript).\n * Do not edit: regenerate when the document changes.\n */\n\n';

/** The generated module's text for the document as it is now. */
export async function generateOpenApiTypes(): Promise<string> {
  const document = JSON.parse(await readFile(documentPath, 'utf8')) as Parameters<typeof openapiTS>[0];
  const nodes = await openapiTS(document, { alphabetize: true, emptyObjectsUnknown: true });
  return banner + astToString(nodes);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(generatedPath, await generateOpenApiTypes());
  console.log(`wrote ${generatedPath}`);
}
