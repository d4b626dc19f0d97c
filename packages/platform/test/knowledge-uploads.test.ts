import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Files uploaded to a knowledge base over multipart (real HTTP on loopback, the embedded store):
 * a PDF made here with pdf-lib, an HTML page and a CSV are read by their loaders, chunked,
 * embedded and found by search with their source format in the metadata; bad uploads are 4xx
 * naming the field.
 */
let testApp: TestApp;
let secret: string;
let knowledgeBaseId: string;

async function pdfOf(pages: string[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setTitle('Turbine manual');
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const text of pages) document.addPage().drawText(text, { x: 50, y: 700, size: 12, font });
  return document.save();
}

function upload(form: FormData, id = knowledgeBaseId): Promise<Response> {
  // why wait: ingestion is a queue job; waiting lets the test search what it uploaded.
  return fetch(`${testApp.baseUrl}/v1/knowledge-bases/${id}/documents?wait=30`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}` },
    body: form,
  });
}

async function search(query: string, mode = 'keyword') {
  const response = await fetch(`${testApp.baseUrl}/v1/knowledge-bases/${knowledgeBaseId}/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, mode, top_k: 5 }),
  });
  expect(response.status).toBe(200);
  return (
    (await response.json()) as {
      data: Array<{ title: string; text: string; metadata: Record<string, unknown> }>;
    }
  ).data;
}

beforeAll(async () => {
  testApp = await startTestApp({ listen: true });
  secret = (await createTenant(testApp, { name: 'uploads' })).secret;
  const response = await fetch(`${testApp.baseUrl}/v1/knowledge-bases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'manuals' }),
  });
  knowledgeBaseId = ((await response.json()) as { id: string }).id;
});

afterAll(async () => {
  await testApp?.close();
});

describe('uploading files to a knowledge base', () => {
  it('reads a PDF page by page and finds its text, titled by the PDF', async () => {
    const form = new FormData();
    const bytes = await pdfOf([
      'The turbine blades are inspected monthly.',
      'Replace the gearbox oil every year.',
    ]);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'manual.pdf');
    form.append('metadata', JSON.stringify({ team: 'maintenance' }));
    form.append('external_id', 'turbine-manual');
    const response = await upload(form);
    expect(response.status).toBe(201);
    const document = (await response.json()) as {
      status: string;
      title: string;
      external_id: string;
      chunk_count: number;
    };
    expect(document).toMatchObject({
      status: 'ready',
      title: 'Turbine manual',
      external_id: 'turbine-manual',
    });
    expect(document.chunk_count).toBeGreaterThan(0);
    const [hit] = await search('gearbox oil');
    expect(hit?.text).toContain('Replace the gearbox oil every year.');
    expect(hit?.metadata).toMatchObject({
      team: 'maintenance',
      source_format: 'pdf',
      filename: 'manual.pdf',
      pages: 2,
    });
  });

  it('takes several files at once: HTML as readable text with its headings, CSV rows as fields', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob(
        [
          '<html><head><title>Safety</title><script>var x = "gearbox";</script></head><body><h1>Ladders</h1><p>Always clip in on the ladder.</p></body></html>',
        ],
        {
          type: 'text/html',
        },
      ),
      'safety.html',
    );
    form.append(
      'file',
      new Blob(['part,interval\nbrake pads,6 months\n'], { type: 'text/csv' }),
      'parts.csv',
    );
    const response = await upload(form);
    expect(response.status).toBe(201);
    const list = (await response.json()) as {
      object: string;
      data: Array<{ title: string; status: string }>;
    };
    expect(list.object).toBe('list');
    expect(list.data.map((document) => [document.title, document.status])).toEqual([
      ['Safety', 'ready'],
      ['parts.csv', 'ready'],
    ]);
    const [ladder] = await search('clip ladder');
    expect(ladder?.text).toBe('# Ladders\n\nAlways clip in on the ladder.');
    const [brakes] = await search('brake pads');
    expect(brakes?.text).toBe('part: brake pads\ninterval: 6 months');
    // The script's text was never indexed.
    expect((await search('gearbox')).map((hit) => hit.title)).toEqual(['Turbine manual']);
  });

  it('refuses what it cannot read, naming the field', async () => {
    const image = new FormData();
    image.append('file', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'photo.png');
    const refused = await upload(image);
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('file');

    const two = new FormData();
    two.append('file', new Blob(['a'], { type: 'text/plain' }), 'a.txt');
    two.append('file', new Blob(['b'], { type: 'text/plain' }), 'b.txt');
    two.append('external_id', 'one-only');
    const ambiguous = await upload(two);
    expect(ambiguous.status).toBe(400);
    expect(((await ambiguous.json()) as { error: { param: string } }).error.param).toBe('external_id');

    const badMetadata = new FormData();
    badMetadata.append('file', new Blob(['text'], { type: 'text/plain' }), 'a.txt');
    badMetadata.append('metadata', 'not json');
    expect(((await (await upload(badMetadata)).json()) as { error: { param: string } }).error.param).toBe(
      'metadata',
    );

    const unknownField = new FormData();
    unknownField.append('purpose', 'batch');
    expect((await upload(unknownField)).status).toBe(400);

    const none = new FormData();
    none.append('title', 'nothing');
    expect(((await (await upload(none)).json()) as { error: { param: string } }).error.param).toBe('file');

    const large = new FormData();
    large.append(
      'file',
      new Blob([new Uint8Array(25 * 1024 * 1024 + 1).fill(97)], { type: 'text/plain' }),
      'big.txt',
    );
    const tooLarge = await upload(large);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string; param: string } }).error).toMatchObject({
      code: 'FILE_TOO_LARGE',
      param: 'file',
    });
  });

  it('answers 404 for another organisation’s knowledge base', async () => {
    const stranger = await createTenant(testApp, { name: 'stranger' });
    const form = new FormData();
    form.append('file', new Blob(['text'], { type: 'text/plain' }), 'a.txt');
    const response = await fetch(`${testApp.baseUrl}/v1/knowledge-bases/${knowledgeBaseId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stranger.secret}` },
      body: form,
    });
    expect(response.status).toBe(404);
  });
});
