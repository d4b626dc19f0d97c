export { registerAuditCommands } from './audit.ts';
export { registerChatCommand } from './chat.ts';
export { registerKeyCommands } from './keys.ts';
export { registerKnowledgeBaseCommands } from './knowledge-bases.ts';
export { registerLoginCommands } from './login.ts';
export { registerModelCommands } from './models.ts';
export { registerSwarmCommands } from './swarms.ts';
export { registerUsageCommand } from './usage.ts';
