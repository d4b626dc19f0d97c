export { registerKnowledgeRoutes } from './knowledge-routes.ts';
