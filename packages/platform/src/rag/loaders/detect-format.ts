import { errors } from '../../errors/index.ts';
import type { DocumentFormat } from './loaded-document.ts';

const byMediaType: Record<string, DocumentFormat> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/json': 'json',
  'text/csv': 'csv',
  'application/csv': 'csv',
};

const byExtension: Record<string, DocumentFormat> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  json: 'json',
  csv: 'csv',
};

/** The formats, for error messages and docs. */
export const supportedFormats = 'plain text, Markdown, HTML, PDF, JSON or CSV';

/**
 * A document's format from its declared media type, else its file name, else its first bytes (a
 * PDF says `%PDF-`); a generic type (`application/octet-stream`) defers to the name. Anything
 * else is a 415 naming `file`.
 */
export function detectFormat(bytes: Uint8Array, contentType?: string, filename?: string): DocumentFormat {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && byMediaType[mediaType]) return byMediaType[mediaType];
  const extension = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (extension && byExtension[extension]) return byExtension[extension];
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') return 'pdf';
  const generic = mediaType === undefined || mediaType === '' || mediaType === 'application/octet-stream';
  if (generic && filename === undefined) return 'text';
  throw errors.unsupportedDocumentFormat(
    `'${(mediaType || filename || 'the file').slice(0, 100)}' is not a document format the knowledge base reads (${supportedFormats}).`,
  );
}
