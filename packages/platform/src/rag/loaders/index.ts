export { detectFormat, supportedFormats } from './detect-format.ts';
export { type DocumentSource, loadDocument } from './load-document.ts';
export type { DocumentFormat, LoadedDocument, PageSpan } from './loaded-document.ts';
