import { errors } from '../../errors/index.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** UTF-8 text with its byte-order mark dropped and line ends as `\n`; invalid UTF-8 is a 400. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw errors.invalidRequest(
      'file',
      'The file is not valid UTF-8 text.',
      'Save it as UTF-8 and upload it again.',
    );
  }
  return text.replace(/\r\n?/g, '\n');
}
