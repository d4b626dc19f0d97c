export type { AppDependencies } from './app-dependencies.ts';
export { buildApp } from './build-app.ts';
