export type * from './chat.ts';
export type * from './embedding.ts';
export type * from './json-schema.ts';
export type * from './provider.ts';
export { minimumThinkingBudget, reasoningEffortOf, thinkingBudgetOf } from './reasoning.ts';
export type * from './upstream.ts';
