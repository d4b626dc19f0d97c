import { randomBase62 } from '../../tenancy/index.ts';

/** `file-…`, OpenAI's shape, unguessable: a file id is the only handle on its content. */
export function newFileId(): string {
  return `file-${randomBase62(24)}`;
}
