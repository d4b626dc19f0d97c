import { describe, expect, it } from 'vitest';
import { convertImageUrl } from './convert-image-url.ts';

const param = 'messages[0].content[1].image_url';

describe('convertImageUrl', () => {
  it('turns a base64 data: URL into a base64 source with its media type', () => {
    expect(convertImageUrl('data:image/png;base64,iVBORw0KGgo=', param)).toEqual({
      type: 'base64',
      media_type: 'image/png',
      data: 'iVBORw0KGgo=',
    });
    expect(convertImageUrl('data:IMAGE/WEBP;charset=binary;base64,UklGRg==', param)).toEqual({
      type: 'base64',
      media_type: 'image/webp',
      data: 'UklGRg==',
    });
  });

  it('passes http and https URLs as url sources', () => {
    expect(convertImageUrl('https://example.com/a.gif', param)).toEqual({
      type: 'url',
      url: 'https://example.com/a.gif',
    });
    expect(convertImageUrl('HTTP://example.com/a.jpg', param)).toEqual({
      type: 'url',
      url: 'HTTP://example.com/a.jpg',
    });
  });

  it('rejects other schemes, media types and encodings with the field named', () => {
    for (const url of [
      'ftp://example.com/a.png',
      'file:///etc/passwd',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/png,%89PNG',
      'data:image/png;base64,',
      'not a url',
    ]) {
      expect(() => convertImageUrl(url, param), url).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST', param }),
      );
    }
  });
});
