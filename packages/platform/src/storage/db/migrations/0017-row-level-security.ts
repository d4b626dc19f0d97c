import type { Migration } from './migration.ts';

/**
 * Row-level security on every tenant table. The platform runs its statements as `kimi_platform`
 * (NOLOGIN, no BYPASSRLS; the connecting user switches to it), and each piece of work sets
 * `kimi.organization_id` (one organisation's rows) or `kimi.scope = 'platform'` (the platform's own
 * cross-organisation work); with neither, a tenant table looks empty. Tables that carry
 * `organization_id` get the two policies through `kimi_isolate_by_organization`, which later
 * migrations call for the tables they add (a test fails on a table without row-level security).
 * `organizations` is isolated by its id, `users` by a membership in the organisation (itself
 * isolated), `budget_reservations` (the admission path's own bookkeeping) by the platform scope only.
 * The role may only read and append the audit log, and only read `schema_migrations`.
 * The role is cluster-wide: creating it tolerates another database's migration creating it first.
 */
export const rowLevelSecurityMigration: Migration = {
  version: 17,
  name: 'row-level-security',
  sql: `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kimi_platform') THEN
    BEGIN
      CREATE ROLE kimi_platform NOLOGIN NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  IF NOT pg_has_role(current_user, 'kimi_platform', 'MEMBER') THEN
    EXECUTE format('GRANT kimi_platform TO %I', current_user);
  END IF;
END
$$;

CREATE FUNCTION kimi_isolate_by_organization(target regclass, organization_column text DEFAULT 'organization_id')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY organization_isolation ON %s USING (%I = current_setting(%L, true)) WITH CHECK (%I = current_setting(%L, true))',
    target, organization_column, 'kimi.organization_id', organization_column, 'kimi.organization_id');
  EXECUTE format(
    'CREATE POLICY platform_access ON %s USING (current_setting(%L, true) = %L) WITH CHECK (current_setting(%L, true) = %L)',
    target, 'kimi.scope', 'platform', 'kimi.scope', 'platform');
END
$$;
REVOKE ALL ON FUNCTION kimi_isolate_by_organization(regclass, text) FROM PUBLIC;

DO $$
DECLARE
  tenant_table record;
BEGIN
  FOR tenant_table IN
    SELECT c.oid::regclass AS target
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema()
       AND c.relkind IN ('r', 'p')
       AND EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped)
  LOOP
    PERFORM kimi_isolate_by_organization(tenant_table.target);
  END LOOP;
END
$$;

SELECT kimi_isolate_by_organization('organizations', 'id');

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON users
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id))
  WITH CHECK (true);
CREATE POLICY platform_access ON users
  USING (current_setting('kimi.scope', true) = 'platform')
  WITH CHECK (current_setting('kimi.scope', true) = 'platform');

ALTER TABLE budget_reservations ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON budget_reservations
  USING (current_setting('kimi.scope', true) = 'platform')
  WITH CHECK (current_setting('kimi.scope', true) = 'platform');

GRANT USAGE ON SCHEMA public TO kimi_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kimi_platform;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO kimi_platform;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kimi_platform;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO kimi_platform;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM kimi_platform;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM kimi_platform;
`,
};
