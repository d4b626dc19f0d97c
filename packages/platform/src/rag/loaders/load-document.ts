import { decodeText } from './decode-text.ts';
import { detectFormat } from './detect-format.ts';
import { loadHtml } from './load-html.ts';
import { loadPdf } from './load-pdf.ts';
import { loadCsv, loadJson } from './load-records.ts';
import type { LoadedDocument } from './loaded-document.ts';

export interface DocumentSource {
  bytes: Uint8Array;
  /** The declared media type (a multipart part's or the request's `Content-Type`). */
  contentType?: string;
  filename?: string;
}

/** A document in any supported format, as text to chunk (see `LoadedDocument`). */
export async function loadDocument(source: DocumentSource): Promise<LoadedDocument> {
  const format = detectFormat(source.bytes, source.contentType, source.filename);
  switch (format) {
    case 'pdf':
      return { format, ...(await loadPdf(source.bytes)) };
    case 'html':
      return { format, ...loadHtml(decodeText(source.bytes)) };
    case 'csv':
      return { format, text: loadCsv(decodeText(source.bytes)) };
    case 'json':
      return { format, text: loadJson(decodeText(source.bytes)) };
    default:
      return { format, text: decodeText(source.bytes).replace(/^\uFEFF/, '') };
  }
}
