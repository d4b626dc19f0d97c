/** What a file is for: `batch` input and `user_data` are uploaded, `batch_output` the platform writes. */
export type FilePurpose = 'batch' | 'user_data' | 'batch_output';

export const uploadPurposes = ['batch', 'user_data'] as const;

/** A stored file's fields (without its bytes). */
export interface StoredFile {
  id: string;
  organizationId: string;
  purpose: FilePurpose;
  filename: string;
  bytes: number;
  createdAt: number;
  expiresAt: number | null;
}

/** OpenAI's file object (`object: "file"`); `status` is always `processed` (validated on upload). */
export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  expires_at: number | null;
  filename: string;
  purpose: FilePurpose;
  status: 'processed';
  status_details: null;
}

const seconds = (milliseconds: number) => Math.floor(milliseconds / 1000);

export function toFileObject(file: StoredFile): FileObject {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes,
    created_at: seconds(file.createdAt),
    expires_at: file.expiresAt === null ? null : seconds(file.expiresAt),
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    status_details: null,
  };
}

/** A page of `GET /v1/files`, as OpenAI's cursor lists. */
export interface FilePage {
  object: 'list';
  data: FileObject[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface FileListQuery {
  purpose?: FilePurpose;
  limit: number;
  after?: string;
  order: 'asc' | 'desc';
}
