export { togetherModels } from './together-models.ts';
export { createTogetherProvider } from './together-provider.ts';
