import { describe, expect, it } from 'vitest';
import { multipartBody } from './multipart-upload.ts';

async function read(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('multipartBody', () => {
  it('streams the same bytes as its Blob, counting the file bytes as they are taken', async () => {
    const file = new Uint8Array(150 * 1024).map((_, index) => index % 251);
    const body = await multipartBody({ name: 'data "1".bin', data: file }, { title: 'Data' });
    const counted: number[] = [];
    const streamed = await read(body.stream((loaded) => counted.push(loaded)));
    const whole = new Uint8Array(await body.blob().arrayBuffer());
    expect(streamed).toEqual(whole);
    expect(streamed.byteLength).toBe(body.totalBytes);
    expect(counted).toEqual([65_536, 131_072, 153_600]);
    expect(body.fileBytes).toBe(file.byteLength);
    const text = new TextDecoder('latin1').decode(streamed);
    const boundary = body.contentType.replace('multipart/form-data; boundary=', '');
    expect(
      text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nData\r\n`),
    ).toBe(true);
    expect(text).toContain('filename="data %221%22.bin"\r\nContent-Type: application/octet-stream\r\n\r\n');
    expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
  });

  it("is well-formed multipart/form-data (fetch's own FormData parser reads it back)", async () => {
    const body = await multipartBody({ name: 'note.txt', data: 'hello', contentType: 'text/plain' }, {});
    const form = await new Response(body.blob(), {
      headers: { 'content-type': body.contentType },
    }).formData();
    const file = form.get('file') as File;
    expect(file.name).toBe('note.txt');
    expect(await file.text()).toBe('hello');
  });
});
