/** The formats a knowledge-base document may come in. */
export type DocumentFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'json' | 'csv';

/** A page of a PDF: where its text lies in the document's text (character offsets). */
export interface PageSpan {
  number: number;
  start: number;
  end: number;
}

/**
 * A document as text ready for chunking: every offset a chunk or a citation gives points into
 * `text`. Markdown structure (headings as `#` lines, paragraphs separated by blank lines) carries
 * what the source's structure was, whatever the format.
 */
export interface LoadedDocument {
  format: DocumentFormat;
  text: string;
  /** A title the source itself gives (an HTML `<title>`, a PDF's metadata), if any. */
  title?: string;
  /** PDFs only. */
  pages?: PageSpan[];
}
