export { buildApp } from './http/index.ts';
export { createPlatform, type Platform, type PlatformPorts } from './platform/index.ts';
