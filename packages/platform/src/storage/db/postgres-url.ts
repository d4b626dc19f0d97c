/** Where a PostgreSQL URL points, without its credentials: safe to put in messages and logs. */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
}

/**
 * Checks that `url` is a postgres:// or postgresql:// URL and returns its host, port and database.
 * Errors name DATABASE_URL and never repeat the URL, since it usually holds a password.
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//); ` +
        'unset it to use the embedded database.',
    );
  }
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
  const port = Number(parsed.port || parsed.searchParams.get('port') || 5432);
  const database =
    decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || 'postgres';
  return { host, port, database };
}

/** `host:port/database`, for messages. */
export function describePostgresTarget(target: PostgresTarget): string {
  return `${target.host}:${target.port}/${target.database}`;
}
