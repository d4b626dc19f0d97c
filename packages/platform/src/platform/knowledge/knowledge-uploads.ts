import { errors } from '../../errors/index.ts';
import { loadDocument } from '../../rag/index.ts';
import { parseWith } from '../wire/index.ts';
import { type DocumentInput, documentInputSchema, metadataSchema } from './knowledge-request.ts';

/** One file of a multipart upload. */
export interface UploadedFile {
  bytes: Uint8Array;
  filename: string;
  contentType?: string;
}

/** The form fields beside the files: they apply to every file (`external_id` to one file only). */
export interface UploadFields {
  title?: string;
  /** A JSON object, as form fields are text. */
  metadata?: string;
  external_id?: string;
}

function metadataOf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidRequest(
      'metadata',
      "'metadata' must be a JSON object (sent as a form field's text).",
    );
  }
  return parseWith(metadataSchema, value) as Record<string, unknown>;
}

/**
 * Uploaded files as documents: each read by its format's loader (PDF text layer, readable HTML,
 * CSV and JSON rows, text, Markdown) into the text that is chunked and cited. The title is the
 * form's, else the source's own (an HTML `<title>`, a PDF's metadata), else the file name; the
 * metadata gains `source_format` and `filename` (and `pages`, for a PDF) so hits can say where
 * they came from.
 */
export async function documentsFromUpload(
  files: readonly UploadedFile[],
  fields: UploadFields,
): Promise<DocumentInput[]> {
  if (files.length === 0) throw errors.invalidRequest('file', "Missing required parameter: 'file'.");
  if (files.length > 1 && fields.external_id !== undefined) {
    throw errors.invalidRequest(
      'external_id',
      "'external_id' names one document; upload one file with it, or leave it out.",
    );
  }
  const metadata = metadataOf(fields.metadata);
  const documents: DocumentInput[] = [];
  for (const file of files) {
    const loaded = await loadDocument({
      bytes: file.bytes,
      filename: file.filename,
      ...(file.contentType ? { contentType: file.contentType } : {}),
    });
    if (loaded.text.trim() === '') {
      throw errors.invalidRequest('file', `The file '${file.filename.slice(0, 200)}' has no text to index.`);
    }
    documents.push(
      parseWith(documentInputSchema, {
        text: loaded.text,
        title: fields.title ?? loaded.title ?? file.filename,
        metadata: {
          ...metadata,
          source_format: loaded.format,
          filename: file.filename,
          ...(loaded.pages ? { pages: loaded.pages.length } : {}),
        },
        ...(fields.external_id === undefined ? {} : { external_id: fields.external_id }),
      }),
    );
  }
  return documents;
}
