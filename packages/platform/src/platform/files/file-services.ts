import { errors, type PlatformError } from '../../errors/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { parseBatchInput } from './batch-input-lines.ts';
import { newFileId } from './file-identifiers.ts';
import {
  type FileListQuery,
  type FileObject,
  type FilePage,
  type FilePurpose,
  toFileObject,
  uploadPurposes,
} from './file-object.ts';
import { deleteFile, findFile, insertFile, listFiles, readFileContent } from './file-repository.ts';

export interface FileSettings {
  /** Largest file accepted, in bytes (413 above). */
  max_bytes: number;
  /** Most requests one batch input file may hold. */
  max_lines: number;
}

export interface FileUpload {
  caller: AuthContext;
  filename: string;
  purpose: string;
  content: Uint8Array;
}

/** OpenAI's Files API, per organisation: uploads (batch input validated), reads and deletes. */
export interface FileServices {
  upload(upload: FileUpload): Promise<FileObject>;
  list(caller: AuthContext, query: FileListQuery): Promise<FilePage>;
  retrieve(caller: AuthContext, id: string): Promise<FileObject>;
  content(caller: AuthContext, id: string): Promise<{ file: FileObject; content: Uint8Array }>;
  remove(caller: AuthContext, id: string): Promise<{ id: string; object: 'file'; deleted: true }>;
}

export interface FileServiceDependencies {
  database: Database;
  clock: Clock;
  settings: () => FileSettings;
}

export function fileNotFound(id: string, param: string | null = null): PlatformError {
  return errors.notFound(`The file '${id}'`, param);
}

const maximumFilenameLength = 255;

export function createFileServices(dependencies: FileServiceDependencies): FileServices {
  const { database, clock } = dependencies;
  const databaseOf = (caller: AuthContext) => database.forOrganization(caller.organizationId);

  const requireFile = async (caller: AuthContext, id: string) => {
    const file = await findFile(databaseOf(caller), caller.organizationId, id);
    if (!file) throw fileNotFound(id);
    return file;
  };

  return {
    async upload({ caller, filename, purpose, content }) {
      const settings = dependencies.settings();
      if (!(uploadPurposes as readonly string[]).includes(purpose)) {
        throw errors.invalidRequest(
          'purpose',
          `'purpose' must be one of ${uploadPurposes.join(', ')}.`,
          'Upload batch input with purpose "batch".',
        );
      }
      if (content.byteLength > settings.max_bytes) throw errors.fileTooLarge(settings.max_bytes);
      if (filename.length === 0 || filename.length > maximumFilenameLength) {
        throw errors.invalidRequest(
          'file',
          `The file name must have 1 to ${maximumFilenameLength} characters.`,
        );
      }
      if (purpose === 'batch') parseBatchInput(content, settings.max_lines);
      const file = {
        id: newFileId(),
        organizationId: caller.organizationId,
        purpose: purpose as FilePurpose,
        filename,
        bytes: content.byteLength,
        createdAt: clock.now(),
        expiresAt: null,
      };
      await insertFile(databaseOf(caller), { ...file, apiKeyId: caller.apiKeyId, content });
      return toFileObject(file);
    },

    async list(caller, query) {
      const rows = await listFiles(databaseOf(caller), caller.organizationId, query);
      const data = rows.slice(0, query.limit).map(toFileObject);
      return {
        object: 'list',
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: rows.length > query.limit,
      };
    },

    async retrieve(caller, id) {
      return toFileObject(await requireFile(caller, id));
    },

    async content(caller, id) {
      const file = await requireFile(caller, id);
      const content = await readFileContent(databaseOf(caller), caller.organizationId, id);
      if (!content) throw fileNotFound(id);
      return { file: toFileObject(file), content };
    },

    async remove(caller, id) {
      if (!(await deleteFile(databaseOf(caller), caller.organizationId, id))) throw fileNotFound(id);
      return { id, object: 'file', deleted: true };
    },
  };
}
