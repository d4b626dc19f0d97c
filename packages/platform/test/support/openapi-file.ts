import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApiDocumentOf } from '../../src/http/openapi/index.ts';
import { startTestApp } from './test-app.ts';

/** Where the document is committed, for readers and for the SDK's generated types. */
export const openApiFilePath = fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));

/** The document as committed: two-space JSON with a final newline. */
export function serializeOpenApiDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The document of the routes a default app serves. */
export async function currentOpenApiDocument(): Promise<unknown> {
  const testApp = await startTestApp();
  try {
    await testApp.app.ready();
    return openApiDocumentOf(testApp.app);
  } finally {
    await testApp.close();
  }
}

export async function committedOpenApiDocument(): Promise<string | null> {
  return readFile(openApiFilePath, 'utf8').catch(() => null);
}

// `npm run openapi` writes the file.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(openApiFilePath, serializeOpenApiDocument(await currentOpenApiDocument()));
  console.log(`wrote ${openApiFilePath}`);
}
