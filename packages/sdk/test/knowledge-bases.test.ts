import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kimi, NotFoundError, type UploadProgress } from '../src/index.ts';
import { availableBackends, createTenant, type RunningPlatform, startPlatform } from './support/platform.ts';

/**
 * Knowledge bases through the SDK against the running platform: CRUD, a multipart upload whose
 * progress is reported from the streamed body ('upload') and the document's events ('ingest'),
 * then search finding what was uploaded.
 */
const backends = await availableBackends();

/** About 200 KB of text, so the upload goes out in several 64 KiB pieces. */
function manual(): string {
  const paragraphs = Array.from(
    { length: 400 },
    (_, index) =>
      `Section ${index}. The turbine's gearbox needs oil every ${index + 3} weeks; inspect the blades for cracks and log the torque readings of rotor ${index}.`,
  );
  paragraphs.splice(200, 0, 'The secret maintenance word is quokkaberry, said the chief engineer.');
  return paragraphs.join('\n\n').repeat(3);
}

describe.each(backends)('knowledge bases through the SDK (%s)', (backend) => {
  let platform: RunningPlatform;
  let kimi: Kimi;

  beforeAll(async () => {
    platform = await startPlatform(backend);
    const tenant = await createTenant(platform.testApp, { name: 'knowledge tenant', role: 'admin' });
    kimi = new Kimi({ apiKey: tenant.secret, baseUrl: platform.testApp.baseUrl, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('creates, reads, updates, lists and deletes a knowledge base', async () => {
    const created = await kimi.knowledgeBases.create({ name: 'scratch', description: 'to delete' });
    expect(created.name).toBe('scratch');
    expect((await kimi.knowledgeBases.get(created.id)).id).toBe(created.id);
    expect((await kimi.knowledgeBases.update(created.id, { name: 'renamed' })).name).toBe('renamed');
    expect((await kimi.knowledgeBases.list()).map((base) => base.id)).toContain(created.id);
    await kimi.knowledgeBases.delete(created.id);
    await expect(kimi.knowledgeBases.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('uploads a file with upload and ingest progress, then finds it by search', async () => {
    const base = await kimi.knowledgeBases.create({ name: 'manuals' });
    const text = manual();
    const bytes = new TextEncoder().encode(text).byteLength;
    const progress: UploadProgress[] = [];
    const document = await kimi.knowledgeBases.upload(
      base.id,
      { name: 'turbine.md', data: text, contentType: 'text/markdown' },
      { wait: true, title: 'Turbine manual', onProgress: (step) => progress.push({ ...step }) },
    );
    expect(document.status).toBe('ready');

    const uploads = progress.filter((step) => step.phase === 'upload');
    expect(uploads.length).toBeGreaterThan(2);
    expect(uploads.every((step) => step.totalBytes === bytes)).toBe(true);
    const loaded = uploads.map((step) => step.loadedBytes);
    expect(loaded).toEqual([...loaded].sort((left, right) => left - right));
    expect(loaded.at(-1)).toBe(bytes);
    const ingest = progress.filter((step) => step.phase === 'ingest');
    expect(ingest.at(-1)).toEqual({ phase: 'ingest', loadedBytes: bytes, totalBytes: bytes });
    expect(progress.findIndex((step) => step.phase === 'ingest')).toBeGreaterThan(
      progress.findLastIndex((step) => step.phase === 'upload'),
    );

    const found = await kimi.knowledgeBases.search(base.id, {
      query: 'quokkaberry',
      mode: 'keyword',
      top_k: 3,
    });
    expect(JSON.stringify(found.data[0])).toContain('quokkaberry');

    const documents = await kimi.knowledgeBases.documents.list(base.id);
    expect(documents.data.map((item) => item.id)).toEqual([document.id]);
    expect((await kimi.knowledgeBases.documents.get(base.id, document.id)).status).toBe('ready');
    const events = [];
    for await (const event of kimi.knowledgeBases.documents.watch(base.id, document.id)) events.push(event);
    expect(events.at(-1)?.type).toBe('document.ready');
    await kimi.knowledgeBases.documents.delete(base.id, document.id);
    await expect(kimi.knowledgeBases.documents.get(base.id, document.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('uploads a Blob without waiting: answered at once, queued or ready', async () => {
    const base = await kimi.knowledgeBases.create({ name: 'notes' });
    const document = await kimi.knowledgeBases.upload(base.id, {
      name: 'note.txt',
      data: new Blob(['A short note about wind.'], { type: 'text/plain' }),
    });
    expect(typeof document.id).toBe('string');
    expect(['queued', 'processing', 'ready']).toContain(document.status);
  });
});
