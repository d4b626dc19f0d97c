export { moonshotModels } from './moonshot-models.ts';
export { createMoonshotProvider } from './moonshot-provider.ts';
