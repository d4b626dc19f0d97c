/** A file to upload: its bytes as a Blob (a browser File), a Uint8Array or text. */
export interface UploadFile {
  name: string;
  data: Blob | Uint8Array | string;
  contentType?: string;
}

export interface MultipartBody {
  /** Makes the stream afresh (a retry sends it again). */
  stream(onFileBytes: (loadedBytes: number) => void): ReadableStream<Uint8Array>;
  /** The whole body at once, for runtimes whose fetch cannot send a stream (browsers over HTTP/1.1). */
  blob(): Blob;
  contentType: string;
  /** Bytes of the file itself (what upload progress counts). */
  fileBytes: number;
  /** Bytes of the whole body. */
  totalBytes: number;
}

const chunkBytes = 64 * 1024;
const encoder = new TextEncoder();

async function bytesOf(data: Blob | Uint8Array | string): Promise<Uint8Array> {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  return new Uint8Array(await data.arrayBuffer());
}

/** A header value with quotes and line breaks escaped (RFC 7578 §4.2, as browsers do). */
const quoted = (value: string) => value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * A multipart/form-data body with form fields and one `file` part, produced as a stream in 64 KiB
 * pieces so the caller learns how many file bytes the transport has taken.
 */
export async function multipartBody(
  file: UploadFile,
  fields: Readonly<Record<string, string>>,
): Promise<MultipartBody> {
  const boundary = `----kimi-sdk-${globalThis.crypto.randomUUID()}`;
  const fileBytes = await bytesOf(file.data);
  const fieldText = Object.entries(fields)
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
    )
    .join('');
  const contentType =
    file.contentType ??
    (file.data instanceof Blob && file.data.type ? file.data.type : 'application/octet-stream');
  const head = encoder.encode(
    `${fieldText}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(file.name)}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    fileBytes: fileBytes.byteLength,
    totalBytes: head.byteLength + fileBytes.byteLength + tail.byteLength,
    blob() {
      return new Blob([head, fileBytes, tail], {
        type: `multipart/form-data; boundary=${boundary}`,
      });
    },
    stream(onFileBytes) {
      let offset = 0;
      let stage: 'head' | 'file' | 'tail' | 'done' = 'head';
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (stage === 'head') {
            controller.enqueue(head);
            stage = fileBytes.byteLength > 0 ? 'file' : 'tail';
          } else if (stage === 'file') {
            const piece = fileBytes.subarray(offset, offset + chunkBytes);
            offset += piece.byteLength;
            controller.enqueue(piece);
            onFileBytes(offset);
            if (offset >= fileBytes.byteLength) stage = 'tail';
          } else if (stage === 'tail') {
            controller.enqueue(tail);
            stage = 'done';
          } else {
            controller.close();
          }
        },
      });
    },
  };
}

/**
 * Whether fetch can send a ReadableStream body here: Node (undici, with `duplex: 'half'`) can;
 * browsers mostly cannot (Firefox and Safari not at all, Chrome only over HTTP/2), so they send a Blob.
 */
export function canStreamRequestBodies(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === 'string';
}
