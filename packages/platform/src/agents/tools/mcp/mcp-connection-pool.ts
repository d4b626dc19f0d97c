import {
  connectMcpServer,
  type McpConnection,
  type McpConnectOptions,
  type McpToolListing,
} from './mcp-connection.ts';

/** Shares MCP sessions across tool calls, per organisation and server version. */
export interface McpConnectionPool {
  /** A live connection to the server (reused, or opened now). */
  connection(options: McpConnectOptions): Promise<McpConnection>;
  /** The server's tools, listed once per connection. */
  tools(options: McpConnectOptions): Promise<McpToolListing[]>;
  /** Closes the connections of a server (after it was changed or deleted). */
  forget(organizationId: string, serverName: string): Promise<void>;
  close(): Promise<void>;
}

interface PoolEntry {
  key: string;
  organizationId: string;
  serverName: string;
  connection: Promise<McpConnection>;
  tools: Promise<McpToolListing[]> | null;
  lastUsed: number;
}

function keyOf(options: McpConnectOptions): string {
  const { server } = options;
  return `${server.organizationId}/${server.id}/${server.updatedAt.getTime()}`;
}

/**
 * Keeps at most `maxConnections` sessions (stdio servers are processes), closes those idle longer
 * than `idleTimeoutMs`, and reconnects when a server closed its side. A failed connect is not cached.
 */
export function createMcpConnectionPool(settings: {
  maxConnections: number;
  idleTimeoutMs: number;
  now: () => number;
  connect?: (options: McpConnectOptions) => Promise<McpConnection>;
}): McpConnectionPool {
  const connect = settings.connect ?? connectMcpServer;
  const entries = new Map<string, PoolEntry>();

  async function drop(entry: PoolEntry): Promise<void> {
    if (entries.get(entry.key) === entry) entries.delete(entry.key);
    const connection = await entry.connection.catch(() => null);
    await connection?.close();
  }

  function sweep(): void {
    const now = settings.now();
    for (const entry of [...entries.values()]) {
      if (now - entry.lastUsed > settings.idleTimeoutMs) void drop(entry);
    }
  }
  const timer = setInterval(sweep, Math.min(60_000, Math.max(1000, settings.idleTimeoutMs / 2)));
  timer.unref();

  async function entryFor(options: McpConnectOptions): Promise<PoolEntry> {
    const key = keyOf(options);
    const existing = entries.get(key);
    if (existing) {
      const connection = await existing.connection.catch(() => null);
      if (connection && !connection.closed) {
        existing.lastUsed = settings.now();
        return existing;
      }
      await drop(existing);
    }
    while (entries.size >= settings.maxConnections) {
      const oldest = [...entries.values()].sort((left, right) => left.lastUsed - right.lastUsed)[0];
      if (!oldest) break;
      await drop(oldest);
    }
    for (const stale of entries.values()) {
      // A changed server (new updated_at) replaces its previous session.
      if (
        stale.organizationId === options.server.organizationId &&
        stale.serverName === options.server.name
      ) {
        void drop(stale);
      }
    }
    const entry: PoolEntry = {
      key,
      organizationId: options.server.organizationId,
      serverName: options.server.name,
      connection: connect(options),
      tools: null,
      lastUsed: settings.now(),
    };
    entries.set(key, entry);
    try {
      await entry.connection;
    } catch (error) {
      if (entries.get(key) === entry) entries.delete(key);
      throw error;
    }
    return entry;
  }

  return {
    async connection(options) {
      return (await entryFor(options)).connection;
    },
    async tools(options) {
      const entry = await entryFor(options);
      if (!entry.tools) {
        const connection = await entry.connection;
        entry.tools = connection.listTools({ timeoutMs: options.timeoutMs });
        entry.tools.catch(() => {
          entry.tools = null;
        });
      }
      return entry.tools;
    },
    async forget(organizationId, serverName) {
      const matching = [...entries.values()].filter(
        (entry) => entry.organizationId === organizationId && entry.serverName === serverName,
      );
      await Promise.all(matching.map(drop));
    },
    async close() {
      clearInterval(timer);
      await Promise.all([...entries.values()].map(drop));
    },
  };
}
