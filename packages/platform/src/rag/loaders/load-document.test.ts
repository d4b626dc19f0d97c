import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { isPlatformError, type PlatformError } from '../../errors/index.ts';
import { loadDocument } from './load-document.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function pdfOf(pages: string[], title?: string): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  if (title) document.setTitle(title);
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const text of pages) document.addPage().drawText(text, { x: 50, y: 700, size: 12, font });
  return document.save();
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isPlatformError(error)).toBe(true);
  return error as PlatformError;
}

describe('loading knowledge-base documents', () => {
  it('reads a PDF text layer page by page, with each page’s span and the PDF’s title', async () => {
    const bytes = await pdfOf(
      ['Wings in a slipstream.', 'Boundary layers at high speed.'],
      'Aerodynamics notes',
    );
    const loaded = await loadDocument({ bytes, contentType: 'application/pdf' });
    expect(loaded.format).toBe('pdf');
    expect(loaded.title).toBe('Aerodynamics notes');
    expect(loaded.text).toBe('Wings in a slipstream.\n\nBoundary layers at high speed.');
    expect(loaded.pages).toHaveLength(2);
    for (const [index, expected] of ['Wings in a slipstream.', 'Boundary layers at high speed.'].entries()) {
      const page = loaded.pages?.[index];
      expect(page?.number).toBe(index + 1);
      expect(loaded.text.slice(page?.start, page?.end)).toBe(expected);
    }
    // Detected by its first bytes too, whatever it is called.
    expect((await loadDocument({ bytes, contentType: 'application/octet-stream' })).format).toBe('pdf');
  });

  it('refuses a PDF without text, and bytes that are not a PDF, naming the file', async () => {
    const blank = await PDFDocument.create();
    blank.addPage();
    const empty = await failure(loadDocument({ bytes: await blank.save(), filename: 'scan.pdf' }));
    expect(empty).toMatchObject({ status: 400, param: 'file' });
    expect(empty.message).toContain('no text layer');
    const broken = await failure(
      loadDocument({ bytes: utf8('%PDF-1.7 not really'), filename: 'broken.pdf' }),
    );
    expect(broken).toMatchObject({ status: 400, param: 'file' });
  });

  it('reads HTML as readable text: headings kept, scripts and styles dropped, blocks as paragraphs', async () => {
    const html = `<!doctype html><html><head><title> Wing  theory </title><style>p{color:red}</style></head>
      <body><nav><a href="/">Home</a></nav><h1>Lift</h1><p>Lift grows with the
      <b>angle</b> of attack &amp; speed.</p><script>alert('x')</script><h2>Stall</h2>
      <ul><li>flow separates</li><li>lift drops</li></ul><table><tr><th>angle</th><th>lift</th></tr>
      <tr><td>5</td><td>0.5</td></tr></table></body></html>`;
    const loaded = await loadDocument({ bytes: utf8(html), filename: 'wing.html' });
    expect(loaded).toEqual({
      format: 'html',
      title: 'Wing theory',
      text: [
        'Home',
        '# Lift',
        'Lift grows with the angle of attack & speed.',
        '## Stall',
        '- flow separates',
        '- lift drops',
        'angle | lift',
        '5 | 0.5',
      ].join('\n\n'),
    });
  });

  it('reads CSV and JSON rows as paragraphs of fields', async () => {
    const csv = await loadDocument({
      bytes: utf8('\uFEFFname,role,notes\nAda,engineer,"wrote, first"\nAlan,,\n'),
      contentType: 'text/csv',
    });
    expect(csv.text).toBe('name: Ada\nrole: engineer\nnotes: wrote, first\n\nname: Alan');
    const json = await loadDocument({
      bytes: utf8(JSON.stringify([{ name: 'Ada', tags: ['math'] }, 'plain text', { empty: null }])),
      filename: 'people.json',
    });
    expect(json.text).toBe('name: Ada\ntags: ["math"]\n\nplain text');
    const bad = await failure(loadDocument({ bytes: utf8('{"a":'), contentType: 'application/json' }));
    expect(bad).toMatchObject({ status: 400, param: 'file' });
  });

  it('reads text and Markdown as they are (UTF-8, line ends normalised), and refuses other formats with 415', async () => {
    const markdown = await loadDocument({ bytes: utf8('\uFEFF# Title\r\n\r\nBody.'), filename: 'notes.md' });
    expect(markdown).toEqual({ format: 'markdown', text: '# Title\n\nBody.' });
    expect((await loadDocument({ bytes: utf8('just text') })).format).toBe('text');
    const image = await failure(
      loadDocument({ bytes: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png' }),
    );
    expect(image).toMatchObject({ status: 415, param: 'file', code: 'UNSUPPORTED_MEDIA_TYPE' });
    const invalid = await failure(
      loadDocument({ bytes: new Uint8Array([0xff, 0xfe, 0xfd]), contentType: 'text/plain' }),
    );
    expect(invalid).toMatchObject({ status: 400, param: 'file' });
  });
});
