import type { AgentToolkit } from '../../agents/tools/index.ts';
import type { ToolsConfig } from '../../config/index.ts';
import { errors } from '../../errors/index.ts';
import type { AuditLog } from '../../identity/audit/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { SecretBox } from '../../support/index.ts';

/** What the tool, MCP server, template and network-allowlist services work on. */
export interface ToolLibraryDependencies {
  database: Database;
  /** Every change writes its entry here, in the change's transaction. */
  audit: AuditLog;
  secretBox: SecretBox | null;
  toolkit: AgentToolkit;
  /** The `tools:` config in force (it changes on a config reload). */
  toolsConfig: () => ToolsConfig;
}

export function requireSecretBox(secretBox: SecretBox | null, what: string): SecretBox {
  if (!secretBox) {
    throw errors.unavailable(
      `${what} cannot be stored: no master key is configured to seal secrets.`,
      'Set KIMI_MASTER_KEY (32 bytes as hex or base64, e.g. `openssl rand -hex 32`) on every instance.',
    );
  }
  return secretBox;
}
