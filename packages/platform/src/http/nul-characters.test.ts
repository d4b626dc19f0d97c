import { describe, expect, it } from 'vitest';
import { checkNulCharacters, nulCharacterError, nulCharacterPath } from './nul-characters.ts';

describe('NUL characters', () => {
  it('finds the first string or key holding U+0000 and names its path', () => {
    expect(nulCharacterPath({ a: 'fine', b: [{ c: 'x\u0000y' }] })).toEqual(['b', 0, 'c']);
    expect(nulCharacterPath({ 'bad\u0000key': 1 })).toEqual(['bad\\u0000key']);
    expect(nulCharacterPath(['\u0000'])).toEqual([0]);
    expect(nulCharacterPath({ a: 'fine', n: 1, t: true, z: null })).toBeNull();
    expect(nulCharacterError(['agents', 0, 'role'])).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
      param: 'agents[0].role',
    });
  });

  it('looks at params and query only when the URL carries %00', () => {
    expect(checkNulCharacters({ url: '/v1/tools/a', params: { name: '\u0000' }, query: {} })).toBeNull();
    expect(checkNulCharacters({ url: '/v1/tools/%00', params: { name: '\u0000' }, query: {} })).toMatchObject(
      { param: 'name' },
    );
    expect(
      checkNulCharacters({ url: '/v1/swarms?status=%00', params: {}, query: { status: '\u0000' } }),
    ).toMatchObject({ param: 'status' });
  });
});
