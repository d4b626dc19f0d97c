export {
  type BatchEndpoint,
  type BatchInputLine,
  batchEndpoints,
  parseBatchInput,
} from './batch-input-lines.ts';
export { newFileId } from './file-identifiers.ts';
export {
  type FileListQuery,
  type FileObject,
  type FilePage,
  type FilePurpose,
  type StoredFile,
  toFileObject,
  uploadPurposes,
} from './file-object.ts';
export { findFile, insertFile, readFileContent } from './file-repository.ts';
export {
  createFileServices,
  type FileServiceDependencies,
  type FileServices,
  type FileSettings,
  type FileUpload,
  fileNotFound,
} from './file-services.ts';
