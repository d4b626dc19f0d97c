export type { AppDependencies } from './http/index.ts';
export { buildApp } from './http/index.ts';
