import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { errors } from '../../errors/index.ts';
import type { PageSpan } from './loaded-document.ts';

/**
 * A PDF's text layer, page by page (pages separated by a blank line, each page's span kept so a
 * chunk can say which page it came from). A scanned PDF without a text layer has no text: that
 * is a 400, since OCR is not something the platform does.
 */
export async function loadPdf(
  bytes: Uint8Array,
): Promise<{ text: string; title?: string; pages: PageSpan[] }> {
  let pageTexts: string[];
  let title: string | undefined;
  try {
    const document = await getDocumentProxy(new Uint8Array(bytes));
    const extracted = await extractText(document, { mergePages: false });
    pageTexts = extracted.text;
    const meta = await getMeta(document).catch(() => undefined);
    const info = meta?.info as { Title?: unknown } | undefined;
    if (typeof info?.Title === 'string' && info.Title.trim() !== '') title = info.Title.trim();
    await document.destroy();
  } catch (error) {
    throw errors.invalidRequest(
      'file',
      `The PDF could not be read: ${(error as Error).message.slice(0, 200)}`,
    );
  }
  const pages: PageSpan[] = [];
  let text = '';
  pageTexts.forEach((pageText, index) => {
    const clean = pageText
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+\n/g, '\n')
      .trim();
    if (text !== '') text += '\n\n';
    pages.push({ number: index + 1, start: text.length, end: text.length + clean.length });
    text += clean;
  });
  if (text.trim() === '') {
    throw errors.invalidRequest(
      'file',
      'The PDF has no text layer (a scan?); there is nothing to index.',
      'Run OCR on it first, or upload the text.',
    );
  }
  return { text, ...(title ? { title } : {}), pages };
}
